"""Cheap pricing: a swap local search that proposes panels before the integer program.

Column generation needs, at each round, *some* panel profile ``x`` with a positive reduced
cost ``sum_t w_t x_t > theta`` (``w_t = y_t / n_t`` from the master's duals, ``theta`` the
sum row's dual, negated); only the last round of a stage needs the proof that none is left,
which the integer program of ilp.py gives. This module finds such panels in a fraction of a
millisecond, by local search over feasible panels:

- a *move* takes one person of a type ``a`` out of the panel and puts one person of a type
  ``b`` in; it keeps the panel size, and it keeps the quotas and "at most one person per
  household" when, for every category where ``a`` and ``b`` differ, the count of ``a``'s
  value may go down by one and the count of ``b``'s value may go up by one, and ``b``'s
  household class still has a free household;
- from each start (the pool's panels with the best reduced costs, then random
  perturbations of the panels found), the search takes the best move while it gains, and
  returns the local optima whose reduced cost beats ``theta``: several columns per round.

Every panel it returns meets the quotas and the household rule by construction (starts are
feasible panels, moves keep feasibility). The search never proves that no panel improves:
when it finds none, the caller solves the integer program.
"""

from __future__ import annotations

import random

import numpy as np

from .groups import Prepared

GAIN_EPS = 1e-12  # a move must gain more than this (no cycling on ties)
CANDIDATES = 48  # types to bring in / take out looked at first in each step
KICK_MOVES = 8  # random moves of a perturbation, at most (a third of the panel below 24)


class SwapSearch:
    """Local search over the feasible panels of a prepared instance (see the module)."""

    def __init__(self, prepared: Prepared, seed: int = 0):
        types = prepared.types
        self.num_types = len(types)
        categories = prepared.categories
        quota_index = {(q.category, q.value): i for i, q in enumerate(prepared.quotas)}
        # values[t, j]: the quota row of type t's value in category j.
        self.values = np.array(
            [[quota_index[(c, t.features[c])] for c in categories] for t in types],
            dtype=np.int64,
        ).reshape(self.num_types, len(categories))
        self.columns = [np.ascontiguousarray(c) for c in self.values.T]
        self.low = np.array([low for low, _high in prepared.bounds], dtype=np.int64)
        self.high = np.array([high for _low, high in prepared.bounds], dtype=np.int64)
        self.klass = np.array([t.class_index for t in types], dtype=np.int64)
        self.households = np.array([c.count for c in prepared.classes], dtype=np.int64)
        self.num_quotas = len(prepared.quotas)
        self.rng = random.Random(seed)
        # Categories as bits: bit j of differ[a, b] is set when types a and b differ in
        # category j, the last bit when they are of different household classes. A move
        # a -> b is allowed when none of these bits is blocked: a's value at its minimum,
        # b's value at its maximum, b's class without a free household. The T x T matrix is
        # built when small (at most 16 MiB), else its rows are computed at each step.
        num_categories = self.values.shape[1]
        self.bitwise = num_categories + 1 <= 64
        self.bit_type = next(
            kind
            for kind, width in ((np.uint8, 8), (np.uint16, 16), (np.uint32, 32), (np.uint64, 64))
            if num_categories + 1 <= width or kind is np.uint64
        )
        if self.bitwise:
            self.bits = np.array([1 << j for j in range(num_categories)], dtype=self.bit_type)
            self.class_bit = self.bit_type(1 << num_categories)
            self.quota_bits = np.zeros(self.num_quotas, dtype=self.bit_type)
            for j, column in enumerate(self.columns):
                self.quota_bits[column] = self.bits[j]
            self.zero = self.bit_type(0)
        self.differ = None
        if self.bitwise and self.num_types**2 * np.dtype(self.bit_type).itemsize <= 16 * 2**20:
            self.differ = self._differ(np.arange(self.num_types))

    def _differ(self, rows: np.ndarray, targets: np.ndarray | None = None) -> np.ndarray:
        """Bit masks of the categories (and the class) where each type of ``rows`` differs
        from each type of ``targets`` (all types when None)."""
        if targets is None:
            if self.differ is not None:
                return self.differ[rows]
            targets = slice(None)
        elif self.differ is not None:
            return self.differ[np.ix_(rows, targets)]
        values_b = self.values[targets]
        mask = np.zeros((len(rows), len(values_b)), dtype=self.bit_type)
        for j in range(self.values.shape[1]):
            different = self.values[rows, j][:, None] != values_b[:, j][None, :]
            mask |= different.astype(self.bit_type) * self.bits[j]
        different = self.klass[rows][:, None] != self.klass[targets][None, :]
        mask |= different.astype(self.bit_type) * self.class_bit
        return mask

    def _counts(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        quota_counts = np.bincount(
            self.values.ravel(),
            weights=np.repeat(x, self.values.shape[1]),
            minlength=self.num_quotas,
        ).astype(np.int64)
        class_counts = np.bincount(self.klass, weights=x, minlength=len(self.households)).astype(
            np.int64
        )
        return quota_counts, class_counts

    def _moves(
        self,
        support: np.ndarray,
        quota_counts: np.ndarray,
        class_counts: np.ndarray,
        targets: np.ndarray | None = None,
    ) -> np.ndarray:
        """The |support| x |targets| matrix of allowed moves a -> b (``targets``: all types
        when None)."""
        if self.bitwise:
            # Allowed when, in every category where a and b differ, a's value may lose one
            # and b's value may gain one, and b's class has a free household when a is of
            # another class.
            bad_drop = np.where(quota_counts <= self.low, self.quota_bits, self.zero)
            bad_add = np.where(quota_counts >= self.high, self.quota_bits, self.zero)
            out_blocked = np.bitwise_or.reduce(bad_drop[self.values[support]], axis=1)
            values_b = self.values if targets is None else self.values[targets]
            klass_b = self.klass if targets is None else self.klass[targets]
            in_blocked = np.bitwise_or.reduce(bad_add[values_b], axis=1)
            full = class_counts[klass_b] >= self.households[klass_b]
            in_blocked |= np.where(full, self.class_bit, self.zero)
            differ = self._differ(support, targets)
            return (differ & (out_blocked[:, None] | in_blocked[None, :])) == 0
        klass_b = self.klass if targets is None else self.klass[targets]
        can_drop = quota_counts - 1 >= self.low
        can_add = quota_counts + 1 <= self.high
        values_b = self.values if targets is None else self.values[targets]
        ok = np.ones((len(support), len(klass_b)), dtype=bool)
        for j in range(values_b.shape[1]):  # one category at a time: b's value vs a's value
            values = values_b[:, j]
            out = self.values[support, j]
            ok &= (values[None, :] == out[:, None]) | (
                can_drop[out][:, None] & can_add[values][None, :]
            )
        room = class_counts[klass_b] < self.households[klass_b]  # b's class has room
        same_class = klass_b[None, :] == self.klass[support][:, None]
        ok &= room[None, :] | same_class
        return ok

    def _move(self, x, quota_counts, class_counts, a: int, b: int) -> None:
        x[a] -= 1
        x[b] += 1
        quota_counts[self.values[a]] -= 1  # one quota row per category: no repeats
        quota_counts[self.values[b]] += 1
        class_counts[self.klass[a]] -= 1
        class_counts[self.klass[b]] += 1

    def _best_move(self, x, w, quota_counts, class_counts, targets) -> tuple[int, int] | None:
        """The best allowed move among ``targets`` (all types when None), if it gains."""
        support = np.flatnonzero(x)
        if len(support) > CANDIDATES:  # the cheapest people to take out
            support = support[np.argpartition(w[support], CANDIDATES - 1)[:CANDIDATES]]
        ok = self._moves(support, quota_counts, class_counts, targets)
        w_b = w if targets is None else w[targets]
        gains = np.where(ok, w_b[None, :] - w[support][:, None], -np.inf)
        best = int(np.argmax(gains))
        row, column = divmod(best, len(w_b))
        if gains[row, column] <= GAIN_EPS:
            return None
        b = column if targets is None else int(targets[column])
        return int(support[row]), b

    def improve(self, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Best-improvement local search from the feasible panel ``x`` (a copy is changed).

        On panels of more than ``CANDIDATES`` people, each step takes out one of the
        ``CANDIDATES`` types of the panel with the lowest weights and first looks at the
        ``CANDIDATES`` best types to bring in, then, when no such move gains, at every type
        (cheap on panels of 200). Smaller panels look at every move: a local optimum."""
        x = x.copy()
        quota_counts, class_counts = self._counts(x)
        targets = None
        if int(x.sum()) > CANDIDATES and self.num_types > CANDIDATES:
            targets = np.argpartition(-w, CANDIDATES - 1)[:CANDIDATES]
        for _step in range(4 * int(x.sum()) + 10):
            move = None
            if targets is not None:
                move = self._best_move(x, w, quota_counts, class_counts, targets)
            if move is None:
                move = self._best_move_all(x, w, quota_counts, class_counts)
            if move is None:
                break
            self._move(x, quota_counts, class_counts, *move)
        return x

    def _best_move_all(self, x, w, quota_counts, class_counts) -> tuple[int, int] | None:
        support = np.flatnonzero(x)
        if len(support) > CANDIDATES:  # the cheapest people to take out
            support = support[np.argpartition(w[support], CANDIDATES - 1)[:CANDIDATES]]
        ok = self._moves(support, quota_counts, class_counts)
        gains = np.where(ok, w[None, :] - w[support][:, None], -np.inf)
        best = int(np.argmax(gains))
        row, b = divmod(best, self.num_types)
        if gains[row, b] <= GAIN_EPS:
            return None
        return int(support[row]), b

    def perturb(self, x: np.ndarray, moves: int) -> np.ndarray:
        """``moves`` random allowed moves from ``x`` (a copy): a random person out, a
        random type that may come in for them."""
        x = x.copy()
        quota_counts, class_counts = self._counts(x)
        for _move in range(moves):
            support = np.flatnonzero(x)
            for _try in range(4):
                a = support[self.rng.randrange(len(support))]
                allowed = np.flatnonzero(self._moves(np.array([a]), quota_counts, class_counts)[0])
                allowed = allowed[allowed != a]
                if len(allowed):
                    b = int(allowed[self.rng.randrange(len(allowed))])
                    self._move(x, quota_counts, class_counts, int(a), b)
                    break
        return x

    def search(
        self,
        starts: list[np.ndarray],
        w: np.ndarray,
        theta: float,
        known,
        wanted: int,
        kicks: int = 4,
    ) -> list[tuple[int, ...]]:
        """Up to ``wanted`` new panels (not in ``known``) with ``w . x > theta``."""
        found: list[tuple[int, ...]] = []
        seen: set[tuple[int, ...]] = set()
        optima: list[np.ndarray] = []

        def consider(x: np.ndarray) -> None:
            profile = tuple(x.tolist())
            if profile in seen:
                return
            seen.add(profile)
            optima.append(x)
            if profile not in known and float(w @ x) > theta:
                found.append(profile)

        for start in starts:
            consider(self.improve(start, w))
            if len(found) >= wanted:
                return found
        # Randomised restarts around the best local optima (iterated local search).
        optima.sort(key=lambda x: -float(w @ x))
        for x in optima[:2]:
            for _kick in range(kicks):
                size = int(x.sum())
                consider(self.improve(self.perturb(x, min(KICK_MOVES, max(2, size // 3))), w))
                if len(found) >= wanted:
                    return found
        return found
