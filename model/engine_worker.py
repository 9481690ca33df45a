"""The engine's worker-thread side: continuous batching over a per-slot KV cache.

Every iteration of the worker loop:

1. **admit**: take jobs from the queue while batch slots are free (a job needs one slot per
   candidate); jobs whose caller gave up are skipped.
2. **prefill** the newly admitted prompts, grouped by length so little padding is computed (right
   padding: with a causal mask real tokens never see the pad after them, so no mask is needed). A
   request's candidates share one prefill; its keys/values are copied into each candidate's slot.
   The prompt's last logits give each new sequence its first token at once (time to first token).
3. **decode** one token for every active sequence in one forward pass: row ``i`` is slot ``i``, it
   writes its new key/value at its own position and attends to its own ``len_i`` positions (a 4D
   mask), with ``position_ids`` per row.
4. sequences that hit end of turn, a stop string or their token limit leave at once, their callers
   are answered at once, and the last slot moves into the hole, so the batch stays dense.

Numbers and reasons: docs/engine.md.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import torch

from bot.config import EngineSettings
from bot.metrics import METRICS
from bot.types import Generation
from model.calibration import calibration_ids
from model.cpu_share import CpuShare, allowed_cpus, read_cpu_counters
from model.engine import Job
from model.fastpath import (
    INT8_MIN_SPEEDUP,
    FastDecoder,
    Segment,
    int4_supported,
    int8_matmuls_speedup,
    int8_matmuls_supported,
    int8_supported,
    low_bit_dtype,
    low_bit_is_faster,
    unsupported_reason,
)
from model.prompt import BuiltPrompt, PromptBuilder, end_of_turn_ids
from model.sampling import RowState, choose_next

if TYPE_CHECKING:
    from transformers import DynamicCache

log = logging.getLogger(__name__)

PREFILL_TOKENS_PER_STEP = 768
"""Prompt tokens prefilled between two decode steps (bounds the stall running replies see)."""
PREFILL_CHUNK_WITH_DECODE = 256
"""Fast path: prompt tokens read in one pass together with the running replies' next tokens. Small,
so running replies keep moving (one token per pass) while a backlog of prompts is read; the replies
ride along nearly for free, since the pass reads the weights once for both. Measured at 16 users
(two runs each): 64 -> 44/30 tok/s, 128 -> 50/40, 256 -> 53/42 (p50 8.2/10.6 s)."""
PENDING_PREFILL_TOKENS = 2048
"""Fast path: prompt tokens admitted and waiting to be read (each holds its own key/value buffer)."""
PREFILL_PAD_WASTE = 0.25
SHORTEST_FIRST_WAIT_S = 3.0
"""Fast path: waiting prompts are read shortest first, so a short message is not stuck behind someone's
long history, except that a request queued longer ago than this goes first (oldest first), so a long
prompt is never starved. Measured at 16 users, the same traffic in one process, four runs each:
time to first token p50 1.60 -> 0.70 s, reply p50 5.27 -> 5.09 s, 94 -> 100 tok/s."""
"""Largest share of padding allowed when prompts of different lengths are prefilled together."""
_IDLE_POLL_S = 0.5
PREFIX_CACHE_BYTES = 64 * 1024 * 1024
"""Default size of the keys/values kept for reuse (``engine.prefix_cache_mb``): the system prompt
shared by all users, and each conversation so far (prompt + reply), which is the start of that
person's next prompt."""
PREFIX_MIN_TOKENS = 24


def cut_at_stop(text: str, stops: tuple[str, ...]) -> tuple[str, bool]:
    """Cut ``text`` at the earliest stop string; returns (text, whether a stop was found)."""
    best = -1
    for s in stops:
        if s:
            i = text.find(s)
            if i >= 0 and (best < 0 or i < best):
                best = i
    return (text[:best], True) if best >= 0 else (text, False)


def _tame_malloc() -> None:
    """Keep glibc's allocator from faulting fresh pages in on every forward pass.

    A prefill's activations are several megabytes each. glibc's default (dynamic) mmap threshold
    serves some of them with ``mmap`` and its default 128 KB trim threshold hands freed heap tops
    back to the OS, so every forward pass page-faults its working memory in again. An earlier fixed
    64 KB threshold made that far worse: measured here, 4 x 300-token prefills ran at 630 tok/s with
    1.7 M page faults vs ~1200 tok/s with none once blocks up to 32 MB stay in the heap and freed
    memory is kept up to 128 MB. The memory held that way goes back to the OS with ``malloc_trim``
    when the engine goes idle.
    """
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        libc.mallopt(m_mmap_threshold, 32 * 1024 * 1024)  # glibc's largest allowed value
        libc.mallopt(m_trim_threshold, 128 * 1024 * 1024)
    except (OSError, AttributeError):  # not glibc
        pass


@contextlib.contextmanager
def _kv_allocations():
    """While growing the key/value buffers, blocks from 1 MB up get their own mmap (glibc).

    The worker keeps blocks up to 32 MB in the heap (see _tame_malloc: faster forward passes), but a
    key/value buffer is replaced when the batch grows and a freed multi-megabyte block in the heap
    stays in the process's memory; from its own mmap it is returned to the OS when freed.
    """
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        yield
        return
    m_mmap_threshold = -3
    libc.mallopt(m_mmap_threshold, 1024 * 1024)
    try:
        yield
    finally:
        libc.mallopt(m_mmap_threshold, 32 * 1024 * 1024)


def _malloc_trim() -> None:
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def settings_prefix_cache_bytes(settings: EngineSettings) -> int:
    mb = getattr(settings, "prefix_cache_mb", None)
    return PREFIX_CACHE_BYTES if mb is None else int(mb) * 1024 * 1024


def _round_up(n: int, m: int) -> int:
    return -(-n // m) * m


def fast_weights(loaded: Any) -> str:
    """The ``FastDecoder`` weights for ``model.quantization`` where the kernel runs here, else "none"."""
    setting = getattr(loaded, "quantization", "none")
    model = loaded.model
    want = {"int8-weight": "int8", "int4-weight": "int4", "auto": "auto"}.get(setting, "none")
    low = low_bit_dtype(model.dtype)
    if want != "none" and (low != torch.bfloat16 or loaded.device.type != "cpu"):
        # torch's low-bit CPU kernels are fast only with bfloat16 activations: one decode row of the
        # MLP measured 0.05 ms in bfloat16 vs 0.7-1.7 ms in float32 / float16. A float32 model's copies
        # run in bfloat16 (see low_bit_dtype); a float16 one or a GPU gets none.
        if want != "auto":
            log.warning(
                "%s: low-bit weights are only fast with bfloat16 on a CPU; serving %s without them",
                setting,
                model.dtype,
            )
        return "none"
    if want == "int8" and not int8_supported(low, loaded.device):
        log.warning("int8 weights are not supported by this torch/CPU; serving %s", model.dtype)
        return "none"
    if want in ("int4", "auto") and not int4_supported(low, loaded.device):
        if want == "int4":
            log.warning("int4 weights are not supported by this torch/device; serving %s", model.dtype)
        return "none"
    kind = "int8" if want == "int8" else "int4"
    if not low_bit_is_faster(kind, model.dtype):
        (log.info if want == "auto" else log.warning)(
            "%s: %s weights are slower than %s matmuls on this CPU (a start-up probe); serving without them",
            setting,
            kind,
            model.dtype,
        )
        return "none"
    return want


def start_int8_matmuls(loaded: Any, fast: FastDecoder, prompts: PromptBuilder) -> None:
    """``model.int8_matmuls = "auto"``: turn on the int8 matmuls for big passes when torch runs them
    here, a probe finds them faster than the model's dtype, and the check conversation keeps the quality
    gate (``FastDecoder.use_int8_matmuls``). Never raises: on any failure the engine serves without."""
    setting = getattr(loaded, "int8_matmuls", "none")
    dtype = loaded.model.dtype
    if setting != "auto":
        fast.int8_note = f"off (model.int8_matmuls = {setting})"
        return
    try:
        if not int8_matmuls_supported(dtype, loaded.device):
            fast.int8_note = f"off (torch has no working int8 matmul for {loaded.device.type})"
            return
        speedup = int8_matmuls_speedup(dtype)
        if speedup < INT8_MIN_SPEEDUP:
            name = str(dtype).removeprefix("torch.")
            fast.int8_note = f"off (a start-up probe measured them {speedup:.2f}x as fast as {name} here)"
            return
        calibration, check = calibration_ids(prompts)
        kept = getattr(loaded, "cache_folder", None)
        key = getattr(loaded, "cache_key", "")
        if fast.use_int8_matmuls(calibration, check, cache_dir=kept, cache_key=key):
            fast.int8_note += f"; {speedup:.1f}x faster matmuls in a start-up probe"
    except Exception as exc:  # noqa: BLE001 - an optional speed-up must never stop the engine
        log.warning(
            "int8 matmuls: could not be set up (%s: %s); serving without them", type(exc).__name__, exc
        )
        fast.int8_note = f"off ({type(exc).__name__} while setting them up)"


def describe_weights(fast: FastDecoder) -> str:
    if fast.weights == "none":
        return f" (no low-bit weights: {fast.weights_note})" if fast.weights_note else ""
    note = f"; {fast.weights_note}" if fast.weights_note else ""
    return f" ({fast.weights} weights for steps of <= {fast.quant_rows} rows{note})"


class SlotKV:
    """Per-layer key/value buffers ``[slots, kv_heads, length, head_dim]`` that grow on demand.

    During a decode step it stands in for a transformers ``Cache``: attention layers call
    ``update(k, v, layer)``, which writes row ``i``'s new key at ``(slot i, pos_i)`` and returns the
    first ``kv_len`` positions of the active slots (a view, no copy).
    """

    def __init__(self, n_layers: int, kv_heads: int, head_dim: int, dtype: torch.dtype, device: torch.device):
        self.n_layers, self.kv_heads, self.head_dim = n_layers, kv_heads, head_dim
        self.dtype, self.device = dtype, device
        self.k: list[torch.Tensor] = []
        self.v: list[torch.Tensor] = []
        self.slot_cap = 0
        self.len_cap = 0
        # decode-step state, set by begin_step()
        self._rows = torch.zeros(0, dtype=torch.long)
        self._pos = torch.zeros(0, dtype=torch.long)
        self._batch = 0
        self._kv_len = 0

    @property
    def nbytes(self) -> int:
        return sum(t.numel() * t.element_size() for t in (*self.k, *self.v))

    def ensure(self, slots: int, length: int, *, max_slots: int, max_len: int) -> None:
        if slots <= self.slot_cap and length <= self.len_cap:
            return
        new_s = max(self.slot_cap, min(max_slots, _round_up(slots, 4)), slots)
        new_t = max(self.len_cap, min(max_len, _round_up(length, 128)), length)
        # Layer by layer, so old and new buffers coexist for one layer only, and each buffer in its
        # own mmap (see _kv_allocations): a replaced buffer goes back to the OS at once instead of
        # staying behind as freed heap that still counts in the process's memory.
        shape = (new_s, self.kv_heads, new_t, self.head_dim)
        with _kv_allocations():
            for store in (self.k, self.v):
                for i in range(self.n_layers):
                    buf = torch.zeros(shape, dtype=self.dtype, device=self.device)
                    if store and self.slot_cap and self.len_cap:
                        buf[: self.slot_cap, :, : self.len_cap] = store[i]
                    if len(store) > i:
                        store[i] = buf
                    else:
                        store.append(buf)
        self.slot_cap, self.len_cap = new_s, new_t

    def release(self) -> None:
        """Give the memory back when the engine goes idle."""
        self.k, self.v = [], []
        self.slot_cap = self.len_cap = 0

    def copy_from(self, slot: int, keys: list[torch.Tensor], values: list[torch.Tensor], length: int) -> None:
        for i in range(self.n_layers):
            self.k[i][slot, :, :length] = keys[i][:, :length]
            self.v[i][slot, :, :length] = values[i][:, :length]

    def copy_in(self, slot: int, src: DynamicCache, row: int, length: int) -> None:
        for i, layer in enumerate(src.layers):
            self.k[i][slot, :, :length] = layer.keys[row, :, :length]
            self.v[i][slot, :, :length] = layer.values[row, :, :length]

    def move(self, dst: int, src: int, length: int) -> None:
        for store in (self.k, self.v):
            for buf in store:
                buf[dst, :, :length] = buf[src, :, :length]

    def begin_step(self, positions: torch.Tensor, kv_len: int) -> None:
        self._batch = int(positions.shape[0])
        self._rows = torch.arange(self._batch, device=self.device)
        self._pos = positions
        self._kv_len = kv_len

    # the transformers Cache interface used by attention layers
    def update(
        self, key_states: torch.Tensor, value_states: torch.Tensor, layer_idx: int, *a: Any, **kw: Any
    ):
        k, v = self.k[layer_idx], self.v[layer_idx]
        k[self._rows, :, self._pos] = key_states[:, :, 0]
        v[self._rows, :, self._pos] = value_states[:, :, 0]
        return k[: self._batch, :, : self._kv_len], v[: self._batch, :, : self._kv_len]


def _common_prefix(a: tuple[int, ...], b: list[int]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


class PrefixCache:
    """LRU of prompt keys/values by token ids; a new prompt reuses its longest cached prefix.

    Chat prompts repeat themselves: every user's prompt starts with the persona's system prompt, and
    a user's next prompt starts with their previous one. Reusing those keys/values skips most of the
    prefill, which dominates the cost of realistic chat traffic (long histories, short replies).
    """

    def __init__(self, max_bytes: int = PREFIX_CACHE_BYTES, min_tokens: int = PREFIX_MIN_TOKENS) -> None:
        self.max_bytes, self.min_tokens = max_bytes, min_tokens
        self.entries: OrderedDict[tuple[int, ...], tuple[list[torch.Tensor], list[torch.Tensor], int]] = (
            OrderedDict()
        )
        self.bytes = 0

    def lookup(self, ids: list[int]) -> tuple[int, tuple[list[torch.Tensor], list[torch.Tensor], int] | None]:
        best, best_key = 0, None
        for key in self.entries:
            if key[0] != ids[0]:
                continue
            n = _common_prefix(key, ids)
            if n > best:
                best, best_key = n, key
        if best_key is None or best < self.min_tokens:
            return 0, None
        self.entries.move_to_end(best_key)
        return best, self.entries[best_key]

    def store(self, ids: list[int], cache: DynamicCache, row: int) -> None:
        """Keep a prefill's keys/values (row ``row`` of ``cache``) for prompts starting with ``ids``."""
        if len(ids) < self.min_tokens or self.max_bytes <= 0 or tuple(ids) in self.entries:
            self._touch(ids)
            return
        n = len(ids)
        self.put(
            ids,
            [layer.keys[row, :, :n] for layer in cache.layers],
            [layer.values[row, :, :n] for layer in cache.layers],
        )

    def put(self, ids: list[int], keys: list[torch.Tensor], values: list[torch.Tensor]) -> None:
        """Keep copies of ``keys``/``values`` (per layer ``[kv_heads, len(ids), head_dim]``).

        An entry whose ids are a prefix of ``ids`` is dropped: the new one serves every prompt the
        old one did (a conversation's previous prompt is the start of prompt + reply)."""
        if len(ids) < self.min_tokens or self.max_bytes <= 0:
            return
        key = tuple(ids)
        if key in self.entries:
            self.entries.move_to_end(key)
            return
        size = sum(2 * k.numel() * k.element_size() for k in keys)
        if size > self.max_bytes:
            return
        for old in [k for k in self.entries if len(k) < len(key) and key[: len(k)] == k]:
            self.bytes -= self.entries.pop(old)[2]
        ks = [k.clone() for k in keys]
        vs = [v.clone() for v in values]
        self.entries[key] = (ks, vs, size)
        self.bytes += size
        while self.bytes > self.max_bytes:
            _, (_, _, old_size) = self.entries.popitem(last=False)
            self.bytes -= old_size

    def _touch(self, ids: list[int]) -> None:
        key = tuple(ids)
        if key in self.entries:
            self.entries.move_to_end(key)

    def clear(self) -> None:
        self.entries.clear()
        self.bytes = 0


@dataclass(eq=False)
class JobRun:
    """A job while it runs: its prompt, its sequences, and what is finished."""

    job: Job
    prompt: BuiltPrompt
    stops: tuple[str, ...]
    max_new: int
    n: int
    texts: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    new_tokens: int = 0
    left: int = 0
    failed: bool = False

    @property
    def stop_window(self) -> int:
        """Tokens to decode to see a just-completed stop string (a token is at least one character)."""
        return max(8, max((len(s) for s in self.stops), default=0) + 2)


@dataclass(eq=False)
class Seq:
    run: JobRun
    index: int  # candidate number
    row: RowState
    cache_len: int  # tokens of this sequence in its KV slot
    pending: int = -1  # sampled token not yet fed through the model
    finished: str = ""
    text: str = ""


@dataclass(eq=False)
class PrefillTask:
    """Fast path: a prompt being read chunk by chunk into its own key/value buffers."""

    run: JobRun
    keys: list[torch.Tensor]  # per layer [kv_heads, len(prompt), head_dim]
    values: list[torch.Tensor]
    done: int  # prompt positions already in keys/values

    @property
    def left(self) -> int:
        return len(self.run.prompt.ids) - self.done


class BatchDecoder:
    def __init__(
        self, loaded: Any, settings: EngineSettings, stats: dict[str, float], *, own_model: bool = False
    ) -> None:
        """``own_model``: the engine loaded the model for itself, so weights that no pass reads may be
        freed (``FastDecoder.release_float_weights``); a model passed in stays whole."""
        self.loaded = loaded
        self.model = loaded.model
        # the decoder stack without its head (Llama: .model, GPT-2: .transformer) and the head
        self.body = self.model.base_model
        self.head = self.model.get_output_embeddings()
        self.tokenizer = loaded.tokenizer
        self.settings = settings
        self.stats = stats
        self.device = loaded.device
        cfg = self.model.config
        self.prompts = PromptBuilder(self.tokenizer, use_chat_template=loaded.has_chat_template)
        self.eot = end_of_turn_ids(self.tokenizer, self.model)
        self.vocab = int(self.model.get_output_embeddings().weight.shape[0])
        self.max_slots = settings.max_batch_size
        self.max_positions = int(getattr(cfg, "max_position_embeddings", 0) or 1 << 30)
        head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads
        kv_heads = getattr(cfg, "num_key_value_heads", None) or cfg.num_attention_heads
        self.kv = SlotKV(cfg.num_hidden_layers, kv_heads, head_dim, self.model.dtype, self.device)
        self.max_len = min(self.max_positions, settings.history_budget + settings.max_new_tokens + 1)
        self.active: list[Seq] = []
        self.held: Job | None = None  # taken from the queue but waiting for free slots
        self.pending: list[PrefillTask] = []  # fast path: prompts being read
        self._runs: set[JobRun] = set()
        self.fast: FastDecoder | None = None
        self.fast_note = "off (engine.fast_decode = false)"
        if getattr(settings, "fast_decode", True):
            reason = unsupported_reason(self.model)
            if reason is None:
                self.fast = FastDecoder(
                    self.model,
                    weights=fast_weights(loaded),
                    cache_dir=getattr(loaded, "cache_folder", None),
                    cache_key=getattr(loaded, "cache_key", ""),
                    adapter_dir=getattr(loaded, "adapter_dir", None),
                )
                self.fast_note = "on" + describe_weights(self.fast)
            else:
                self.fast_note = f"off ({reason})"
        if self.fast is None and getattr(loaded, "lite", False):
            raise ValueError(
                "this model was loaded without transformers (model/llama_lite.py), which only the fast "
                f"decode path can run, and that path is {self.fast_note}"
            )
        log.info("fast decode path: %s", self.fast_note)
        if self.fast is not None:
            start_int8_matmuls(loaded, self.fast, self.prompts)
            log.info("int8 matmuls: %s", self.fast.int8_note)
            if own_model and self.fast.release_float_weights():
                log.info(
                    "freed %.0f MB of %s weights that every pass now reads from the 4-bit or int8 copies",
                    self.fast.released_bytes / 1e6,
                    str(self.model.dtype).removeprefix("torch."),
                )
                _malloc_trim()
        _tame_malloc()
        self.cpu: CpuShare | None = None
        if self.device.type == "cpu":
            cpus = allowed_cpus()
            self.cpu = CpuShare(
                wanted=torch.get_num_threads(), cores=len(cpus), reader=lambda: read_cpu_counters(cpus)
            )
        self.share_cpu = bool(getattr(settings, "share_cpu", True))
        """engine.share_cpu; the benchmark flips it between rows."""
        self.prefix = PrefixCache(settings_prefix_cache_bytes(settings))
        self.first_token_hook: Any = None
        """Optional ``(request, seconds since enqueued) -> None``, called in this thread (benchmarks)."""

    # ------------------------------------------------------------------ serving loop

    def serve(self, q: queue.Queue[Job | None], closing: threading.Event) -> None:
        with torch.inference_mode():
            while True:
                if closing.is_set():
                    self._refuse_queued(q)
                    if not self.active and not self.pending:
                        return
                new = self._admit(q, closing)
                if self.cpu is not None and (self.active or self.pending or new):
                    self._share_cpu(self.cpu)
                if self.fast is not None:
                    # Prompts are read in chunks inside the decode passes (see _mixed_step).
                    if new:
                        self._queue_prefills(new)
                    if self.active or self.pending:
                        self._mixed_step()
                    elif not new and self.kv.slot_cap:
                        self.kv.release()
                        _malloc_trim()
                    continue
                if new:
                    self._prefill(new)
                if self.active:
                    self._decode_step()
                elif not new and self.kv.slot_cap:
                    self.kv.release()
                    _malloc_trim()

    def _share_cpu(self, cpu: CpuShare) -> None:
        # torch's thread count is per thread here (OpenMP), so it is set in this worker thread.
        n = cpu.threads() if self.share_cpu else cpu.wanted
        if n != torch.get_num_threads():
            log.info(
                "CPU: other programs use %.1f cores; the model now runs with %d thread(s)", cpu.other_cores, n
            )
            torch.set_num_threads(n)
        self.stats["threads"] = n
        self.stats["thread_shrinks"] = cpu.shrinks

    def fail_all(self, reason: str) -> None:
        for run in list(self._runs):
            self._fail(run, reason)
        self.active = []
        self.pending = []

    # ------------------------------------------------------------------ admission

    def _refuse_queued(self, q: queue.Queue[Job | None]) -> None:
        jobs = [self.held] if self.held else []
        self.held = None
        while True:
            try:
                jobs.append(q.get_nowait())
            except queue.Empty:
                break
        for job in jobs:
            if job is not None:
                job.resolve(Generation(status="busy", error="the engine is shutting down"))

    def _admit(self, q: queue.Queue[Job | None], closing: threading.Event) -> list[JobRun]:
        """Take jobs while slots are free; at most about one prefill chunk of prompt tokens."""
        runs: list[JobRun] = []
        free = self.max_slots - len(self.active) - sum(t.run.n for t in self.pending)
        tokens = sum(t.left for t in self.pending)
        limit = PENDING_PREFILL_TOKENS if self.fast is not None else PREFILL_TOKENS_PER_STEP
        while free > 0 and tokens < limit:
            job = self.held
            self.held = None
            if job is None:
                idle = not self.active and not runs and not self.pending
                try:
                    job = q.get(timeout=_IDLE_POLL_S) if idle else q.get_nowait()
                except queue.Empty:
                    break
            if job is None:  # close() wakes the worker with None
                if closing.is_set():
                    break
                continue
            n = min(job.request.num_candidates, self.max_slots)
            if n > free:
                self.held = job  # keep its place in line
                break
            if time.monotonic() > job.deadline:
                job.resolve(Generation(status="busy", error="deadline passed in the queue"))
                continue
            if not job.try_start():
                continue  # the caller gave up
            run = self._start_run(job, n)
            if run is None:
                continue
            runs.append(run)
            free -= n
            tokens += len(run.prompt.ids)
        return runs

    def _start_run(self, job: Job, n: int) -> JobRun | None:
        req = job.request
        try:
            budget = min(req.history_budget, self.settings.history_budget)
            max_new = min(req.sampling.max_new_tokens, self.settings.max_new_tokens)
            budget = min(budget, self.max_positions - max_new - 1)
            prompt = self.prompts.build(req.messages, budget)
        except Exception as exc:
            log.exception("could not build the prompt for one request")
            job.resolve(Generation(status="error", error=f"prompt: {type(exc).__name__}: {exc}"))
            return None
        stops = tuple(dict.fromkeys(s for s in (*req.stop, *prompt.stop) if s))
        run = JobRun(job, prompt, stops, max_new, n, texts=[""] * n, reasons=[""] * n, left=n)
        self._runs.add(run)
        return run

    # ------------------------------------------------------------------ prefill

    def _groups(self, runs: list[JobRun]) -> list[list[JobRun]]:
        """Runs of similar prompt length, so a group's padding stays under PREFILL_PAD_WASTE."""
        groups: list[list[JobRun]] = []
        for run in sorted(runs, key=lambda r: len(r.prompt.ids)):
            if groups:
                g = groups[-1]
                longest = len(run.prompt.ids)
                total = sum(len(r.prompt.ids) for r in g) + longest
                if 1 - total / (longest * (len(g) + 1)) <= PREFILL_PAD_WASTE:
                    g.append(run)
                    continue
            groups.append([run])
        return groups

    def _prefill(self, runs: list[JobRun]) -> None:
        t0 = time.perf_counter()
        try:
            self._prefill_groups(runs)
        finally:
            self.stats["prefill_s"] = self.stats.get("prefill_s", 0.0) + time.perf_counter() - t0

    def _prefill_groups(self, runs: list[JobRun]) -> None:
        fresh: list[JobRun] = []
        # Prompts that reuse the same cached prefix (typically the persona's system prompt) are
        # prefilled together: one batched forward pass instead of one per request.
        hits: dict[tuple[int, int], tuple[tuple[int, Any], list[JobRun]]] = {}
        for run in runs:
            hit, entry = self.prefix.lookup(run.prompt.ids)
            if entry is None:
                fresh.append(run)
                continue
            reuse = min(hit, len(run.prompt.ids) - 1)  # the last token must run to give the logits
            hits.setdefault((id(entry), reuse), ((reuse, entry), []))[1].append(run)
        for prefix, same in hits.values():
            for group in self._groups(same):
                try:
                    self._prefill_group(group, prefix=prefix)
                except Exception as exc:
                    if len(group) == 1:
                        log.exception("prefill failed for one request")
                        self._fail(group[0], f"{type(exc).__name__}: {exc}")
                        continue
                    for run in group:
                        try:
                            self._prefill_group([run], prefix=prefix)
                        except Exception as exc1:
                            log.exception("prefill failed for one request")
                            self._fail(run, f"{type(exc1).__name__}: {exc1}")
        for group in self._groups(fresh):
            try:
                self._prefill_group(group)
            except Exception as exc:
                if len(group) == 1:
                    log.exception("prefill failed for one request")
                    self._fail(group[0], f"{type(exc).__name__}: {exc}")
                    continue
                # Find the request that broke it; the others go on.
                for run in group:
                    try:
                        self._prefill_group([run])
                    except Exception as exc1:
                        log.exception("prefill failed for one request")
                        self._fail(run, f"{type(exc1).__name__}: {exc1}")

    def _prefill_group(self, group: list[JobRun], prefix: tuple[int, Any] | None = None) -> None:
        lens = [len(r.prompt.ids) for r in group]
        width = max(lens)
        from transformers import DynamicCache  # this path runs transformers' modules anyway

        cache = DynamicCache(config=self.model.config)
        if prefix is not None:
            # Prompts whose first `reuse` tokens are cached (the same entry for the whole group):
            # load them as the past of every row, run the rest right-padded.
            (reuse, (ks, vs, _)), b = prefix, len(group)
            for li in range(len(ks)):
                k, v = ks[li][None, :, :reuse], vs[li][None, :, :reuse]
                cache.update(k.expand(b, -1, -1, -1), v.expand(b, -1, -1, -1), li)
            rest = [n - reuse for n in lens]
            pad = self.tokenizer.pad_token_id or 0
            ids = torch.full((b, max(rest)), pad, dtype=torch.long)
            for i, r in enumerate(group):
                ids[i, : rest[i]] = torch.tensor(r.prompt.ids[reuse:], dtype=torch.long)
            pos = torch.arange(reuse, reuse + max(rest), device=self.device).unsqueeze(0).expand(b, -1)
            out = self.body(
                input_ids=ids.to(self.device), position_ids=pos, past_key_values=cache, use_cache=True
            )
            last = out.last_hidden_state[torch.arange(b), torch.tensor(rest) - 1]
            logits = self.head(last)
            self.stats["prefix_reused_tokens"] = self.stats.get("prefix_reused_tokens", 0) + reuse * b
            self.stats["prefill_tokens"] = self.stats.get("prefill_tokens", 0) + sum(rest)
        else:
            pad = self.tokenizer.pad_token_id or 0
            ids = torch.full((len(group), width), pad, dtype=torch.long)
            for i, r in enumerate(group):
                ids[i, : lens[i]] = torch.tensor(r.prompt.ids, dtype=torch.long)
            out = self.body(input_ids=ids.to(self.device), past_key_values=cache, use_cache=True)
            last = out.last_hidden_state[torch.arange(len(group)), torch.tensor(lens) - 1]
            logits = self.head(last)
            self.stats["prefill_tokens"] = self.stats.get("prefill_tokens", 0) + sum(lens)
        for gi, run in enumerate(group):
            self.prefix.store(run.prompt.ids, cache, gi)

        # Everything that can fail for this group happens before it takes any slot.
        new: list[tuple[Seq, int]] = []  # (sequence, row of the prefill batch)
        for gi, run in enumerate(group):
            req = run.job.request
            for c in range(run.n):
                row = RowState.create(
                    req.sampling,
                    run.prompt.ids,
                    self.vocab,
                    seed=None if req.seed is None else req.seed + c,
                    exempt=self.eot,
                )
                new.append((Seq(run, c, row, cache_len=lens[gi]), gi))
        first = choose_next(logits[[gi for _, gi in new]], [s.row for s, _ in new])

        need = len(self.active) + len(new)
        self.kv.ensure(need, width + 1, max_slots=self.max_slots, max_len=self.max_len)
        for (seq, gi), tok in zip(new, first, strict=True):
            self.kv.copy_in(len(self.active), cache, gi, lens[gi])
            self.active.append(seq)
            self._advance(seq, tok)
        del cache, out
        hook = self.first_token_hook
        if hook is not None:
            now = time.monotonic()
            for run in group:
                hook(run.job.request, now - run.job.enqueued_at)
        self._retire()

    # ------------------------------------------------------------------ fast path: mixed passes

    def _queue_prefills(self, runs: list[JobRun]) -> None:
        cfg = self.kv
        for run in runs:
            try:
                ids = run.prompt.ids
                hit, entry = self.prefix.lookup(ids)
                reuse = min(hit, len(ids) - 1) if entry is not None else 0
                shape = (cfg.kv_heads, len(ids), cfg.head_dim)
                keys = [torch.empty(shape, dtype=cfg.dtype, device=cfg.device) for _ in range(cfg.n_layers)]
                values = [torch.empty(shape, dtype=cfg.dtype, device=cfg.device) for _ in range(cfg.n_layers)]
                if reuse:
                    ks, vs, _ = entry  # type: ignore[misc]
                    for li in range(cfg.n_layers):
                        keys[li][:, :reuse] = ks[li][:, :reuse]
                        values[li][:, :reuse] = vs[li][:, :reuse]
                    self.stats["prefix_reused_tokens"] = self.stats.get("prefix_reused_tokens", 0) + reuse
            except Exception as exc:
                log.exception("could not set up the prompt of one request")
                self._fail(run, f"{type(exc).__name__}: {exc}")
                continue
            self.pending.append(PrefillTask(run, keys, values, reuse))

    def _mixed_step(self) -> None:
        """One pass: the next token of every running reply plus the next chunk(s) of waiting prompts."""
        t0 = time.perf_counter()
        self._drop_abandoned()
        seqs = self.active
        b = len(seqs)
        budget = PREFILL_CHUNK_WITH_DECODE if b else PREFILL_TOKENS_PER_STEP
        chunks: list[tuple[PrefillTask, int, int]] = []
        for task in self._reading_order():
            if budget <= 0:
                break
            n = min(task.left, budget)
            chunks.append((task, task.done, n))
            budget -= n
        if not b and not chunks:
            return
        if b:
            kv_len = max(s.cache_len for s in seqs) + 1
            self.kv.ensure(b, kv_len, max_slots=self.max_slots, max_len=max(self.max_len, kv_len))
        dec_logits, seg_logits = self._forward_parts(seqs, chunks)
        if b:
            self.stats["steps"] += 1
            self.stats["batch_rows"] = self.stats.get("batch_rows", 0) + b
        t_forward = time.perf_counter()
        # The running replies first: their rows are slots 0..b-1 until they retire.
        if dec_logits is not None:
            self._advance_rows(dec_logits, seqs)
        for task, start, n in chunks:
            if task.run.failed or task not in self.pending:
                continue
            logits = seg_logits.get(id(task))
            if logits is None:
                continue
            task.done = start + n
            self.stats["prefill_tokens"] = self.stats.get("prefill_tokens", 0) + n
            if task.left == 0:
                self.pending.remove(task)
                self._start_sequences(task, logits)
        self._retire()
        now = time.perf_counter()
        self.stats["sample_s"] = self.stats.get("sample_s", 0.0) + now - t_forward
        key = "decode_s" if b else "prefill_s"
        self.stats[key] = self.stats.get(key, 0.0) + now - t0

    def _reading_order(self) -> list[PrefillTask]:
        """The waiting prompts in the order their chunks are read (see SHORTEST_FIRST_WAIT_S)."""
        now = time.monotonic()

        def key(task: PrefillTask) -> tuple[int, float]:
            queued = task.run.job.enqueued_at
            if now - queued >= SHORTEST_FIRST_WAIT_S:
                return (0, queued)
            return (1, task.left)

        return sorted(self.pending, key=key)

    def _forward_parts(
        self, seqs: list[Seq], chunks: list[tuple[PrefillTask, int, int]]
    ) -> tuple[torch.Tensor | None, dict[int, torch.Tensor]]:
        """Run the pass; if it fails, run each part alone so only the request that breaks it fails."""
        assert self.fast is not None
        parts: list[tuple[bool, list[tuple[PrefillTask, int, int]]]] = []
        try:
            return self._forward(seqs, chunks)
        except Exception as exc:
            if (1 if seqs else 0) + len(chunks) == 1:
                self._fail_part(seqs, chunks, exc)
                return None, {}
        dec: torch.Tensor | None = None
        segs: dict[int, torch.Tensor] = {}
        if seqs:
            parts.append((True, []))
        parts.extend((False, [c]) for c in chunks)
        for is_decode, part in parts:
            rows = seqs if is_decode else []
            try:
                d, sg = self._forward(rows, part)
            except Exception as exc:
                self._fail_part(rows, part, exc)
                continue
            if is_decode:
                dec = d
            segs.update(sg)
        return dec, segs

    def _forward(
        self, seqs: list[Seq], chunks: list[tuple[PrefillTask, int, int]]
    ) -> tuple[torch.Tensor | None, dict[int, torch.Tensor]]:
        assert self.fast is not None
        b = len(seqs)
        toks = [s.pending for s in seqs]
        pos = [s.cache_len for s in seqs]
        segments = []
        for task, start, n in chunks:
            toks.extend(task.run.prompt.ids[start : start + n])
            pos.extend(range(start, start + n))
            segments.append(Segment(task.keys, task.values, start, n))
        logits = self.fast.forward(
            torch.tensor(toks, dtype=torch.long, device=self.device),
            torch.tensor(pos, dtype=torch.long, device=self.device),
            self.kv.k,
            self.kv.v,
            segments,
        )
        seg_logits = {id(task): logits[b + i] for i, (task, _, _) in enumerate(chunks)}
        return (logits[:b] if b else None), seg_logits

    def _fail_part(self, seqs: list[Seq], chunks: list[tuple[PrefillTask, int, int]], exc: Exception) -> None:
        reason = f"{type(exc).__name__}: {exc}"
        if seqs:
            log.exception("decode step failed; failing the %d running requests", len(seqs))
            for run in {s.run for s in seqs}:
                self._fail(run, reason)
        for task, _, _ in chunks:
            log.exception("reading the prompt failed for one request")
            if task in self.pending:
                self.pending.remove(task)
            self._fail(task.run, reason)

    def _start_sequences(self, task: PrefillTask, logits: torch.Tensor) -> None:
        """The prompt is read: its candidates take slots and get their first token."""
        run = task.run
        req = run.job.request
        ids = run.prompt.ids
        try:
            rows = [
                RowState.create(
                    req.sampling,
                    ids,
                    self.vocab,
                    seed=None if req.seed is None else req.seed + c,
                    exempt=self.eot,
                )
                for c in range(run.n)
            ]
            first = choose_next(logits.unsqueeze(0).expand(run.n, -1), rows)
            self.kv.ensure(
                len(self.active) + run.n, len(ids) + 1, max_slots=self.max_slots, max_len=self.max_len
            )
        except Exception as exc:
            log.exception("could not start the reply of one request")
            self._fail(run, f"{type(exc).__name__}: {exc}")
            return
        self.prefix.put(ids, task.keys, task.values)
        for c, (row, tok) in enumerate(zip(rows, first, strict=True)):
            seq = Seq(run, c, row, cache_len=len(ids))
            self.kv.copy_from(len(self.active), task.keys, task.values, len(ids))
            self.active.append(seq)
            self._advance(seq, tok)
        hook = self.first_token_hook
        if hook is not None:
            hook(req, time.monotonic() - run.job.enqueued_at)

    # ------------------------------------------------------------------ decode

    def _decode_step(self) -> None:
        t0 = time.perf_counter()
        self._decode_step_inner()
        self.stats["decode_s"] = self.stats.get("decode_s", 0.0) + time.perf_counter() - t0

    def _decode_step_inner(self) -> None:
        self._drop_abandoned()
        if not self.active:
            return
        seqs = self.active
        b = len(seqs)
        pos = torch.tensor([s.cache_len for s in seqs], dtype=torch.long, device=self.device)
        kv_len = int(pos.max()) + 1
        self.kv.ensure(b, kv_len, max_slots=self.max_slots, max_len=max(self.max_len, kv_len))
        tokens = torch.tensor([s.pending for s in seqs], dtype=torch.long, device=self.device)
        try:
            if self.fast is not None:
                logits = self.fast.step(tokens, pos, self.kv.k, self.kv.v)
            else:
                self.kv.begin_step(pos, kv_len)
                # Row i attends to its own first len_i + 1 positions (its past plus the token fed now).
                mask = torch.arange(kv_len, device=self.device).unsqueeze(0) <= pos.unsqueeze(1)
                out = self.body(
                    input_ids=tokens.unsqueeze(1),
                    attention_mask=mask[:, None, None, :],
                    position_ids=pos.unsqueeze(1),
                    past_key_values=self.kv,
                    use_cache=True,
                )
                logits = self.head(out.last_hidden_state[:, -1])
        except Exception as exc:  # the whole batch is lost; the engine itself goes on
            log.exception("decode step failed; failing the %d running requests", b)
            for run in {s.run for s in seqs}:
                self._fail(run, f"{type(exc).__name__}: {exc}")
            self.active = []
            return
        t_forward = time.perf_counter()
        self.stats["steps"] += 1
        self.stats["batch_rows"] = self.stats.get("batch_rows", 0) + b
        self._advance_rows(logits, seqs)
        self.stats["sample_s"] = self.stats.get("sample_s", 0.0) + time.perf_counter() - t_forward

    def _advance_rows(self, logits: torch.Tensor, seqs: list[Seq]) -> None:
        """The running rows were fed one token each: sample the next, advance, retire finished ones."""
        for s in seqs:
            s.cache_len += 1
        try:
            next_tokens = choose_next(logits, [s.row for s in seqs])
        except Exception:
            next_tokens = self._choose_one_by_one(logits, seqs)
        for s, tok in zip(seqs, next_tokens, strict=True):
            if tok >= 0:
                self._advance(s, tok)
        self._retire()

    def _choose_one_by_one(self, logits: torch.Tensor, seqs: list[Seq]) -> list[int]:
        out = []
        for i, s in enumerate(seqs):
            try:
                out.append(choose_next(logits[i : i + 1], [s.row])[0])
            except Exception as exc:
                log.exception("sampling failed for one request")
                self._fail(s.run, f"sampling: {type(exc).__name__}: {exc}")
                out.append(-1)
        return out

    # ------------------------------------------------------------------ per-token bookkeeping

    def _advance(self, s: Seq, tok: int) -> None:
        if s.finished:
            return
        if tok in self.eot:
            s.finished = "stop"
            return
        s.row.push(tok)
        s.pending = tok
        gen = s.row.generated
        # Only the tail can hold a stop string that the new token completed.
        tail = self.tokenizer.decode(gen[-s.run.stop_window :], skip_special_tokens=False)
        if any(stop in tail for stop in s.run.stops):
            s.finished = "stop"
        elif len(gen) >= s.run.max_new or s.cache_len + 1 >= self.max_len:
            s.finished = "length"

    def _drop_abandoned(self) -> None:
        for task in [t for t in self.pending if t.run.job.abandoned]:
            self.pending.remove(task)
            self._fail(task.run, "cancelled")
        if any(s.run.job.abandoned for s in self.active):
            for s in self.active:
                if s.run.job.abandoned and not s.finished:
                    s.finished = "cancelled"
            self._retire()

    def _retire(self) -> None:
        """Remove finished sequences, keep slots dense, answer callers whose job is complete."""
        i = 0
        while i < len(self.active):
            s = self.active[i]
            if not s.finished:
                i += 1
                continue
            if s.finished in ("stop", "length") and not s.run.failed:
                self._keep_conversation(s, i)
            last = self.active.pop()
            if last is not s:
                self.kv.move(i, len(self.active), last.cache_len)
                self.active[i] = last
            self._finish_seq(s)

    def _keep_conversation(self, s: Seq, slot: int) -> None:
        """Put prompt + reply (what is in slot ``slot``) in the prefix cache: the person's next
        prompt starts with them, so only their new message needs a prefill."""
        if s.index != 0 or self.prefix.max_bytes <= 0:
            return  # one candidate per request: the others mostly share its prompt anyway
        n = s.cache_len
        ids = (list(s.run.prompt.ids) + list(s.row.generated))[:n]
        if len(ids) < n:
            return
        try:
            self.prefix.put(ids, [k[slot, :, :n] for k in self.kv.k], [v[slot, :, :n] for v in self.kv.v])
        except Exception:  # never let the cache cost a reply
            log.exception("could not keep a finished conversation in the prefix cache")

    def _finish_seq(self, s: Seq) -> None:
        run = s.run
        if run.failed:
            return
        raw = self.tokenizer.decode(s.row.generated, skip_special_tokens=False)
        text, _ = cut_at_stop(raw, run.stops)
        run.texts[s.index] = text.strip()
        run.reasons[s.index] = "stop" if s.finished == "stop" else "length"
        run.new_tokens += len(s.row.generated)
        run.left -= 1
        if s.finished == "cancelled":
            run.job.resolve(Generation(status="error", error="cancelled"))
            run.failed = True
            self._runs.discard(run)
            return
        if run.left == 0:
            self._complete(run)

    def _complete(self, run: JobRun) -> None:
        self._runs.discard(run)
        job = run.job
        now = time.monotonic()
        self.stats["tokens"] += run.new_tokens
        self.stats["requests"] += 1
        METRICS.inc("engine_requests_total", status="ok")
        METRICS.inc("engine_tokens_total", run.new_tokens)
        METRICS.observe("engine_latency_seconds", now - job.enqueued_at)
        job.resolve(
            Generation(
                texts=tuple(run.texts),
                prompt_tokens=len(run.prompt.ids),
                new_tokens=run.new_tokens,
                queued_s=job.started_at - job.enqueued_at,
                latency_s=now - job.enqueued_at,
                finish_reasons=tuple(run.reasons),
            )
        )

    def _fail(self, run: JobRun, reason: str) -> None:
        if run.failed:
            return
        run.failed = True
        self._runs.discard(run)
        METRICS.inc("engine_requests_total", status="error")
        run.job.resolve(Generation(status="error", error=reason))
        if any(s.run is run for s in self.active):
            for s in self.active:
                if s.run is run:
                    s.finished = "failed"
            self._retire()
