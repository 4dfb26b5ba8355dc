"""Importing an electoral roll of 10 000 rows: time and peak memory, against bulk_create.

Generates a plausible electoral-roll extract (CSV, columns nom;prenom;sexe;date_naissance;
adresse;hameau;pcs; the same rows on every run), sets up a commune on a throwaway database
and measures, each in a fresh Python process on an empty list (pool):

- preview: what the admin's preview step does (read the file, check its columns, dry run
  of the import, rolled back);
- import: what the admin's confirm step does (the same, for real, inside
  ``transaction.atomic()``);
- baseline: ``Volunteer.objects.bulk_create`` of the same rows, already parsed into model
  instances: the least any import of these rows can cost.

After each run the list is erased: ``Pool.delete()`` (what the admin and the daily erasure
do: the people's traces erased with them) after a preview or an import, a raw ``DELETE``
after the baseline; both times are printed.

Wall time (median of ``--repeat`` runs, without tracing), the growth of the process's peak
resident memory (ru_maxrss) during the first run, and the peak of Python allocations
(tracemalloc, in a separate traced run, which is slower and not timed) are printed with the
ratios import / baseline, so the figures compare on any machine.

    .venv/bin/python benchmarks/volunteer_import.py [--rows 10000] [--repeat 1]
        [--postgres postgres://user@host:port/db] [--profile]

Figures go to stdout and to benchmarks/results/volunteer_import.json. ``--profile`` also
writes cProfile's top costs of one import (results/volunteer_import_profile.txt) and of one
erasure, with every SQL statement and its time (results/volunteer_erase_profile.txt).
"""

import argparse
import csv
import io
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.pages import run_json  # noqa: E402

PYTHON = sys.executable
RESULTS = ROOT / "benchmarks" / "results"
INSEE = "99002"
HAMLETS = ["Le Bourg", "Les Granges", "La Croix-Blanche", "Le Moulin", "Champ-Fleuri"]
PHASES = ("baseline", "preview", "import")


def _names(text):
    return [name.strip() for name in text.split(",")]


LAST_NAMES = _names(
    """
Martin, Bernard, Thomas, Petit, Robert, Richard, Durand, Dubois, Moreau, Laurent, Simon, Michel,
Lefebvre, Leroy, Roux, David, Bertrand, Morel, Fournier, Girard, Bonnet, Dupont, Lambert,
Fontaine, Rousseau, Vincent, Muller, Lefèvre, Faure, André, Mercier, Blanc, Guérin, Boyer,
Garnier, Chevalier, François, Legrand, Gauthier, Garcia, Perrin, Robin, Clément, Morin, Nicolas,
Henry, Roussel, Mathieu, Gautier, Masson, Marchand, Duval, Denis, Dumont, Marie, Lemaire, Noël,
Meyer, Dufour, Meunier, Brun, Blanchard, Giraud, Joly, Rivière, Lucas, Brunet, Gaillard,
Barbier, Arnaud, Martinez, Gérard, Roche, Renard, Schmitt, Roy, Leroux, Colin, Vidal, Caron,
Picard, Roger, Fabre, Aubert, Lemoine, Renaud, Dumas, Lacroix, Olivier, Philippe, Bourgeois,
Pierre, Benoît, Rey, Leclerc, Payet, Rolland, Leclercq, Guillaume, Lecomte, Lopez, Jean, Dupuy,
Guillot, Hubert, Berger, Carpentier, Sanchez, Dupuis, Moulin, Louis, Deschamps, Huet, Vasseur,
Perez, Boucher, Fleury, Royer, Klein, Jacquet, Adam, Paris, Poirier, Marty, Aubry, Guyot, Carré,
Charles, Renault, Charpentier, Ménard, Maillard, Baron, Bertin, Bailly, Hervé, Schneider,
Fernandez, Le Gall, Collet, Léger, Bouvier, Julien, Prévost, Millet, Perrot, Daniel, Le Roux,
Cousin, Germain, Breton, Besson, Langlois, Rémy, Le Goff, Pelletier, Lévêque, Perrier, Leblanc,
Barré, Lebrun, Marchal, Weber, Mallet, Hamon, Boulanger, Jacob, Monnier, Michaud, Rodriguez,
Guichard, Gillet, Étienne, Grondin, Poulain, Tessier, Chevallier, Collin, Chauvin, Da Silva,
Bouchet, Gay, Lemaître, Bénard, Maréchal, Humbert, Reynaud, Antoine, Hoarau, Perret, Barthélemy,
Cordier, Pichon, Lejeune, Gilbert, Lamy, Delaunay, Pasquier, Carlier, Laporte"""
)
FIRST_NAMES = {
    "F": _names(
        """
Marie, Jeanne, Françoise, Monique, Catherine, Nathalie, Isabelle, Sylvie, Anne, Martine,
Christine, Sophie, Valérie, Sandrine, Nicole, Céline, Stéphanie, Julie, Camille, Léa, Manon,
Chloé, Emma, Inès, Sarah, Laura, Pauline, Élodie, Aurélie, Émilie, Claire, Hélène, Brigitte,
Danielle, Odette, Simone, Josiane, Chantal, Colette, Agnès, Lucie, Jade, Louise, Alice, Zoé,
Margaux, Anaïs, Mathilde, Océane"""
    ),
    "M": _names(
        """
Jean, Pierre, Michel, André, Philippe, Alain, Bernard, Jacques, Daniel, Patrick, Nicolas,
Christophe, Stéphane, Frédéric, Laurent, Éric, David, Julien, Sébastien, Thomas, Olivier,
Pascal, Gérard, Thierry, Vincent, Maxime, Alexandre, Antoine, Hugo, Lucas, Louis, Nathan, Théo,
Enzo, Léo, Gabriel, Raphaël, Arthur, Paul, Marcel, Roger, René, Robert, Henri, Claude, Yves,
Guy, Serge, Didier, Bruno, Damien"""
    ),
}
STREETS = _names(
    """Grande Rue, rue de l'Église, place de la Mairie, chemin des Vignes, route de la Forêt,
rue du Lavoir, impasse des Tilleuls, allée des Chênes, rue du Moulin, chemin de la Croix,
route départementale 12, rue des Écoles, chemin des Prés, rue du Four, place du Marché,
rue de la Fontaine, chemin du Bois Joli, route du Château, rue des Jardins,
lieu-dit les Essarts"""
)
HEADERS = ["nom", "prenom", "sexe", "date_naissance", "adresse", "hameau", "pcs"]


def electoral_roll(rows, seed=2026):
    """The CSV bytes of ``rows`` people (as an export saved by a French spreadsheet).

    Two people of the list never share first name, last name and year of birth: the
    import recognises a person by those (a second such row would update the first).
    """
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    seen = set()
    households = []
    while len(seen) < rows:
        sex = rng.choice("FM")
        last = rng.choice(LAST_NAMES)
        first = rng.choice(FIRST_NAMES[sex])
        if rng.random() < 0.15:  # a compound first name
            first = f"{first}-{rng.choice(FIRST_NAMES[sex])}"
        born = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1930, 2008)}"
        if (last, first, born[-4:]) in seen:
            continue
        seen.add((last, first, born[-4:]))
        if households and rng.random() < 0.45:  # living with someone already listed
            address, hamlet = rng.choice(households)
        else:
            address = f"{rng.randint(1, 120)} {rng.choice(STREETS)}"
            hamlet = rng.choice(HAMLETS)
            households.append((address, hamlet))
        pcs = rng.choice("12345678") if rng.random() < 0.9 else ""
        writer.writerow([last.upper(), first, sex, born, address, hamlet, pcs])
    return out.getvalue().encode("utf-8")


def environment(database_url, workdir):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="mprc_cms.settings.production",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(workdir / "media"),
        MPRC_IMPORTS_DIR=str(workdir / "imports"),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env, *args):
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


HAMLETS_TEXT = "\n".join(HAMLETS)
SETUP = f"""
from home.models import CommunePage
from django.core.management import call_command
call_command(
    "create_commune", "Bourg-les-Listes", insee="{INSEE}", postcode="71999", publish=True
)
commune = CommunePage.objects.get(insee_code="{INSEE}")
commune.hamlets = {HAMLETS_TEXT!r}
commune.save_revision().publish()
"""


# --- One phase, in a Python process of its own (so that ru_maxrss starts fresh) ----------


def _django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _new_pool(label):
    from home.models import CommunePage
    from participation.models import Pool

    commune = CommunePage.objects.get(insee_code=INSEE)
    name = f"Liste électorale — {label} {secrets.token_hex(4)}"
    return Pool.objects.create(commune=commune, name=name, source="electoral_roll")


def _run_import(data, pool, *, dry_run):
    from django.db import transaction

    from mprc_cms.imports import processing, reading
    from mprc_cms.imports.registry import get_import
    from participation.models import Volunteer

    definition = get_import(Volunteer)
    with transaction.atomic():
        parsed = reading.read_file(data, "liste-electorale.csv", "utf-8", definition.max_rows)
        processing.check_columns(parsed, definition)
        outcome = processing.run_import(
            definition, parsed, pool.commune, dry_run=dry_run, options={"pool": pool.pk}
        )
        if outcome.errors:
            transaction.set_rollback(True)
    if outcome.errors:
        raise RuntimeError(f"the import found errors: {[str(e) for e in outcome.errors[:5]]}")
    return outcome.new


def _instances(data, pool):
    """The rows as Volunteer instances, as the import would store them (not timed)."""
    from participation.models import Status, Volunteer
    from participation.normalise import household_key, name_key

    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8")), delimiter=";"))
    genders = {"F": "female", "M": "male"}
    return [
        Volunteer(
            commune=pool.commune,
            pool=pool,
            source=pool.source,
            status=Status.ACTIVE,
            last_name=row["nom"],
            first_name=row["prenom"],
            gender=genders[row["sexe"]],
            birth_year=int(row["date_naissance"][-4:]),
            address=row["adresse"],
            hamlet=row["hameau"],
            social_category=row["pcs"],
            name_key=name_key(row["prenom"], row["nom"]),
            household_key=household_key(row["adresse"]),
        )
        for row in rows
    ]


def _once(phase, data, label):
    """Run the phase once on a new, empty pool: (seconds, rows stored, seconds to erase)."""
    from participation.models import Volunteer

    pool = _new_pool(label)
    if phase == "baseline":
        instances = _instances(data, pool)
        start = time.perf_counter()
        Volunteer.objects.bulk_create(instances)
        seconds = time.perf_counter() - start
        del instances
    else:
        start = time.perf_counter()
        _run_import(data, pool, dry_run=phase == "preview")
        seconds = time.perf_counter() - start
    stored = Volunteer.objects.filter(pool=pool).count()
    # Erasing the list (as at its retention end, or from the admin), timed apart; the next
    # run starts from the same table. The baseline erases it with one raw DELETE (no
    # traces erased, no cascade): the least a deletion can cost.
    start = time.perf_counter()
    if phase == "baseline":
        members = Volunteer.objects.filter(pool=pool)
        members._raw_delete(members.db)
        pool_rows = type(pool).objects.filter(pk=pool.pk)
        pool_rows._raw_delete(pool_rows.db)
    else:
        pool.delete()
    return seconds, stored, time.perf_counter() - start


def run_phase(phase, csv_path, repeat):
    import gc
    import resource
    import tracemalloc

    _django()
    data = Path(csv_path).read_bytes()
    rows = data.count(b"\n") - 1
    expected = 0 if phase == "preview" else rows

    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times, erase_times = [], []
    # The baseline is short, so more runs of it are cheap and steady its figure.
    for run in range(max(repeat, 3) if phase == "baseline" else repeat):
        seconds, stored, erase_seconds = _once(phase, data, f"{phase} {run}")
        if stored != expected:
            raise RuntimeError(f"{phase}: {stored} rows stored, {expected} expected")
        times.append(seconds)
        erase_times.append(erase_seconds)
        if run == 0:
            rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before

    gc.collect()
    tracemalloc.start()
    _once(phase, data, f"{phase} traced")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "rows": rows,
                "seconds": statistics.median(times),
                "runs": times,
                "rss_growth_mib": rss_growth / 1024,  # ru_maxrss is in KiB on Linux
                "tracemalloc_peak_mib": peak / 2**20,
                "erase_list_seconds": statistics.median(erase_times),
            }
        )
    )


def profile_import(env, csv_path, out):
    """cProfile of one real import (for when it is slow): the top costs to ``out``."""
    script = (
        "import cProfile, pstats, sys\n"
        f"sys.argv = [{str(Path(__file__))!r}]\n"
        f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
        "import volunteer_import as bench\n"
        "bench._django()\n"
        f"data = open({str(csv_path)!r}, 'rb').read()\n"
        "profiler = cProfile.Profile()\n"
        "profiler.enable()\n"
        "bench._once('import', data, 'profiled')\n"
        "profiler.disable()\n"
        "stats = pstats.Stats(profiler, stream=sys.stdout)\n"
        "stats.sort_stats('cumulative').print_stats(45)\n"
        "stats.sort_stats('tottime').print_stats(25)\n"
    )
    result = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    out.write_text(result.stdout)


def _profile_erasure(csv_path):
    """cProfile and the SQL statements (with their time) of one ``Pool.delete()``."""
    import cProfile
    import pstats

    _django()
    from django.db import connection

    from participation.models import Volunteer

    data = Path(csv_path).read_bytes()
    pool = _new_pool("profiled erasure")
    Volunteer.objects.bulk_create(_instances(data, pool))
    statements = []

    def logged(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - start, sql))

    profiler = cProfile.Profile()
    start = time.perf_counter()
    with connection.execute_wrapper(logged):
        profiler.enable()
        pool.delete()
        profiler.disable()
    seconds = time.perf_counter() - start
    in_sql = sum(took for took, _sql in statements)
    print(f"Pool.delete(): {seconds:.3f} s, {len(statements)} statements, {in_sql:.3f} s in SQL")
    for took, sql in sorted(statements, key=lambda statement: -statement[0]):
        print(f"{took:8.4f}  {sql[:300]}")
    print()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(30)


def profile_erasure(env, csv_path, out):
    """Profile of one list's erasure (for when it is slow) to ``out``."""
    result = subprocess.run(
        [PYTHON, __file__, "--profile-erasure", "--csv", str(csv_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    out.write_text(result.stdout)


# --- The throwaway database ------------------------------------------------------------


class PostgresDatabase:
    """A fresh database on the PostgreSQL server of ``url``, dropped at the end."""

    def __init__(self, url):
        self.admin_url = url
        self.name = f"mprc_bench_{secrets.token_hex(6)}"
        self.url = urlunsplit(urlsplit(url)._replace(path=f"/{self.name}"))

    def _execute(self, statement):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(statement)

    def __enter__(self):
        self._execute(f'CREATE DATABASE "{self.name}"')
        return self.url

    def __exit__(self, *exc):
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def measure(database_url, workdir, csv_path, repeat, profile):
    env = environment(database_url, workdir)
    print("Setting up the database (migrate, a commune) …", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", SETUP)
    figures = {}
    for phase in PHASES:
        print(f"Measuring {phase} …", flush=True)
        command = [__file__, "--phase", phase, "--csv", csv_path, "--repeat", repeat]
        figures[phase] = run_json(env, *command, failed=f"{phase} failed")
    if profile:
        print("Profiling one import …", flush=True)
        profile_import(env, csv_path, RESULTS / "volunteer_import_profile.txt")
        print("Profiling one erasure …", flush=True)
        profile_erasure(env, csv_path, RESULTS / "volunteer_erase_profile.txt")
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument(
        "--repeat", type=int, default=1, help="timed runs per phase (median; baseline ≥ 3)"
    )
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to use instead")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile one import and one erasure (cProfile, SQL statements) into "
        "results/volunteer_import_profile.txt and results/volunteer_erase_profile.txt",
    )
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--profile-erasure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.profile_erasure:
        _profile_erasure(args.csv)
        return
    if args.phase:
        run_phase(args.phase, args.csv, args.repeat)
        return

    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mprc-bench-import-") as tmp:
        workdir = Path(tmp)
        csv_path = workdir / "liste-electorale.csv"
        csv_path.write_bytes(electoral_roll(args.rows))
        if args.postgres:
            with PostgresDatabase(args.postgres) as url:
                figures = measure(url, workdir, csv_path, args.repeat, args.profile)
            backend = "PostgreSQL"
        else:
            url = f"sqlite:///{workdir / 'db.sqlite3'}"
            figures = measure(url, workdir, csv_path, args.repeat, args.profile)
            backend = "SQLite"

    base = figures["baseline"]
    report = {"rows": args.rows, "repeat": args.repeat, "database": backend, "phases": {}}
    for phase in PHASES:
        row = figures[phase]
        report["phases"][phase] = {
            **row,
            "rows_per_s": row["rows"] / row["seconds"],
            "time_ratio": row["seconds"] / base["seconds"],
            "tracemalloc_ratio": row["tracemalloc_peak_mib"] / base["tracemalloc_peak_mib"],
        }

    print(
        f"\n{args.rows} electoral-roll rows, {backend}, median of {args.repeat} runs "
        "(memory: first run / traced run)"
    )
    print(
        f"{'phase':10} {'seconds':>8} {'rows/s':>8} {'× time':>7} "
        f"{'RSS +MiB':>9} {'traced MiB':>11} {'× traced':>9}"
    )
    for phase, row in report["phases"].items():
        print(
            f"{phase:10} {row['seconds']:8.2f} {row['rows_per_s']:8.0f} {row['time_ratio']:7.1f} "
            f"{row['rss_growth_mib']:9.1f} {row['tracemalloc_peak_mib']:11.1f} "
            f"{row['tracemalloc_ratio']:9.1f}"
        )
    print("(× = ratio to the baseline, a plain bulk_create of the same rows)")
    erase = report["phases"]["import"]["erase_list_seconds"]
    raw = report["phases"]["baseline"]["erase_list_seconds"]
    report["erase_list"] = {"seconds": erase, "raw_delete_seconds": raw, "ratio": erase / raw}
    print(
        f"Erasing the imported list (Pool.delete(), {args.rows} people): {erase:.2f} s "
        f"(a raw DELETE of the same rows: {raw:.2f} s, × {erase / raw:.1f})"
    )

    name = "volunteer_import" if backend == "SQLite" else "volunteer_import_postgresql"
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2))
    print(f"\nWritten to {RESULTS / f'{name}.json'}")


if __name__ == "__main__":
    main()
