# Shared by bin/demo and bin/test: find Python 3.11 and keep .venv in step with pyproject.toml.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

find_python() {
    local candidate
    for candidate in python3.11 python3 python; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "Python 3.11 is needed (python3.11 or python3 on the PATH)." >&2
    return 1
}

ensure_venv() {
    local python stamp wanted
    if [ ! -x "$PY" ]; then
        python="$(find_python)"
        echo "==> creating .venv with $python"
        "$python" -m venv "$VENV"
    fi
    stamp="$VENV/.mprc-installed"
    wanted="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
        echo "==> installing the project and its dependencies into .venv"
        "$PY" -m pip install --quiet --upgrade pip
        "$PY" -m pip install --quiet -e "$ROOT[dev]"
        echo "$wanted" >"$stamp"
    fi
}

# The example module packaged outside the tree (examples/mprc-agenda), installed as a third
# party would (not editable): the project discovers it by its entry point.
install_examples() {
    "$PY" -m pip install --quiet --no-deps --force-reinstall "$ROOT/examples/mprc-agenda"
    rm -rf "$ROOT/examples/mprc-agenda/build"
}
