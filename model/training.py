"""Fine-tune a causal LM on conversational ``{"messages": [...]}`` examples, loss on assistant turns only.

Reads top to bottom like nanoGPT's train.py:

    encode_examples   messages -> token ids + labels (-100 everywhere but the assistant's tokens)
    bucketed_batches  batches of similar length, so little compute goes to padding
    prepare_model     LoRA adapters on the attention + MLP projections (or full fine-tuning)
    Trainer.run       AdamW, gradient accumulation, warmup + cosine LR, time / step / epoch budget,
                      periodic validation loss, checkpoints (model/adapter + optimizer + step + RNG)
    save_model        LoRA merged into the weights, tokenizer and config: a folder the bot loads by path

The labels come from the tokenizer's own chat template: each turn of the rendered conversation is
tokenized as its own piece, so a token is labelled exactly when it belongs to an assistant turn
(including the end-of-turn token, which teaches the model to stop). Models without a chat template
use the bot's plain transcript (``You: ...`` / ``Friend: ...``, see ``model.prompt``).
"""

from __future__ import annotations

import io
import json
import logging
import math
import os
import random
import shutil
import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import torch
import torch.nn.functional as F
from safetensors import SafetensorError

from model.prompt import BOT_LABEL, USER_LABEL
from model.report import SAMPLE_REPETITION_PENALTY

log = logging.getLogger(__name__)

IGNORE = -100
CHECKPOINT_DIR = "checkpoints"
LAST_CHECKPOINT = "last"
# Model families whose logits are a plain linear head over the last hidden state (no soft-capping
# or logit scaling), so the head can be applied to the labelled positions only (see _loss_sum).
PLAIN_HEAD_TYPES = {
    "llama",
    "mistral",
    "qwen2",
    "qwen3",
    "gpt2",
    "gpt_neox",
    "phi3",
    "smollm3",
    "olmo2",
    "opt",
}
LORA_TARGETS = (
    # Llama, Mistral, Qwen, SmolLM, Phi-3 (fused qkv / gate_up)
    "q_proj",
    "k_proj",
    "v_proj",
    "o_proj",
    "gate_proj",
    "up_proj",
    "down_proj",
    "qkv_proj",
    "gate_up_proj",
    # GPT-2 / DialoGPT (Conv1D layers)
    "c_attn",
    "c_proj",
    "c_fc",
    # GPT-NeoX / Pythia
    "query_key_value",
    "dense",
    "dense_h_to_4h",
    "dense_4h_to_h",
)


class TrainingError(ValueError):
    """Training cannot start or resume; the message says why and what to change."""


# --------------------------------------------------------------------------- configuration


@dataclass
class TrainConfig:
    full: bool = False  # full fine-tuning instead of LoRA
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    epochs: float = 1.0
    max_steps: int = 0  # when set, replaces epochs (as in HF Trainer); 0 = epochs decide
    minutes: float = 0.0  # budget for the optimisation steps; 0 = none
    lr: float | None = None  # None = 2e-4 for LoRA, 3e-5 for full fine-tuning
    warmup_ratio: float = 0.05
    weight_decay: float = 0.0
    batch_size: int = 8
    grad_accum: int = 1
    max_length: int = 256
    eval_every: int = 0  # steps; 0 = about 4 evaluations over the run
    save_every: int = 0  # steps; 0 = only at the end
    seed: int = 0
    precision: Literal["auto", "fp32", "bf16"] = "auto"
    loss_on: Literal["all", "last"] = "all"  # every assistant turn, or only the final reply

    def __post_init__(self) -> None:
        checks = [
            (self.lora_r >= 1, f"lora_r must be at least 1, got {self.lora_r}"),
            (self.lora_alpha > 0, f"lora_alpha must be positive, got {self.lora_alpha}"),
            (0 <= self.lora_dropout < 1, f"lora_dropout must be in [0, 1), got {self.lora_dropout}"),
            (self.epochs > 0, f"epochs must be positive, got {self.epochs}"),
            (self.max_steps >= 0, f"max_steps must be 0 or more, got {self.max_steps}"),
            (self.minutes >= 0, f"minutes must be 0 or more, got {self.minutes}"),
            (self.lr is None or self.lr > 0, f"lr must be positive, got {self.lr}"),
            (0 <= self.warmup_ratio < 1, f"warmup_ratio must be in [0, 1), got {self.warmup_ratio}"),
            (self.batch_size >= 1, f"batch_size must be at least 1, got {self.batch_size}"),
            (self.grad_accum >= 1, f"grad_accum must be at least 1, got {self.grad_accum}"),
            (self.max_length >= 16, f"max_length must be at least 16 tokens, got {self.max_length}"),
            (self.eval_every >= 0, f"eval_every must be 0 or more, got {self.eval_every}"),
            (self.save_every >= 0, f"save_every must be 0 or more, got {self.save_every}"),
            (
                self.precision in ("auto", "fp32", "bf16"),
                f"precision must be auto, fp32 or bf16, got {self.precision!r}",
            ),
            (self.loss_on in ("all", "last"), f"loss_on must be all or last, got {self.loss_on!r}"),
        ]
        for ok, message in checks:
            if not ok:
                raise TrainingError(message)

    @property
    def learning_rate(self) -> float:
        if self.lr is not None:
            return self.lr
        return 3e-5 if self.full else 2e-4


# --------------------------------------------------------------------------- data


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Examples from a JSONL file; each line must be an object with a ``messages`` list."""
    rows: list[dict[str, Any]] = []
    path = Path(path)
    with open(path, encoding="utf-8-sig") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise TrainingError(f"{path} line {n}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict) or not isinstance(row.get("messages"), list):
                raise TrainingError(f'{path} line {n}: expected an object with a "messages" list')
            rows.append(row)
    return rows


@dataclass
class Encoded:
    input_ids: list[int]
    labels: list[int]
    dropped_turns: int = 0

    def __len__(self) -> int:
        return len(self.input_ids)

    @property
    def target_tokens(self) -> int:
        return sum(1 for x in self.labels if x != IGNORE)


def _check_messages(messages: Any) -> list[dict[str, str]]:
    if not isinstance(messages, list) or not messages:
        raise TrainingError("an example has no messages")
    out = []
    for m in messages:
        if (
            not isinstance(m, dict)
            or m.get("role") not in ("system", "user", "assistant")
            or not isinstance(m.get("content"), str)
        ):
            raise TrainingError(
                f"bad message {str(m)[:80]!r}: needs role system/user/assistant and a string content"
            )
        out.append({"role": m["role"], "content": m["content"]})
    if out[-1]["role"] != "assistant":
        raise TrainingError("an example must end with an assistant turn (the reply to learn)")
    return out


def _template_pieces(tokenizer: Any, messages: list[dict[str, str]]) -> list[tuple[str, bool]]:
    """The rendered conversation cut into (text, is_assistant_reply) pieces.

    Rendering the first k messages must give a prefix of rendering k+1 (true for ChatML, Llama,
    Mistral...); the generation prompt (``<|im_start|>assistant\\n``) stays in the context piece and
    the reply plus its end-of-turn marker make the assistant piece.
    """

    def render(msgs: list[dict[str, str]], gen: bool) -> str:
        return tokenizer.apply_chat_template(msgs, tokenize=False, add_generation_prompt=gen)

    pieces: list[tuple[str, bool]] = []
    done = ""
    for k, m in enumerate(messages):
        if m["role"] == "assistant":
            prompt = render(messages[:k], True) if k else ""
            if not prompt.startswith(done):
                raise TrainingError("the chat template does not render conversations prefix by prefix")
            pieces.append((prompt[len(done) :], False))
            done = prompt
        full = render(messages[: k + 1], False)
        if not full.startswith(done):
            raise TrainingError("the chat template does not render conversations prefix by prefix")
        pieces.append((full[len(done) :], m["role"] == "assistant"))
        done = full
    return [(t, a) for t, a in pieces if t]


def _transcript_pieces(messages: list[dict[str, str]], eos: str | None) -> list[tuple[str, bool]]:
    """The bot's plain transcript (model.prompt.PromptBuilder._transcript) cut into pieces."""
    pieces: list[tuple[str, bool]] = []
    for i, m in enumerate(messages):
        text = " ".join(m["content"].split())  # a newline inside a message would fake a turn
        sep = "\n" if i else ""
        if m["role"] == "system":
            pieces.append((sep + text, False))
        elif m["role"] == "user":
            pieces.append((f"{sep}{USER_LABEL}: {text}", False))
        else:
            pieces.append((f"{sep}{BOT_LABEL}:", False))
            last = i == len(messages) - 1
            # The final reply ends with eos so the model learns to stop; earlier ones end at the
            # newline that the next piece starts with.
            pieces.append((" " + text + ((eos or "") if last else ""), True))
    return pieces


def encode_messages(
    tokenizer: Any,
    messages: Sequence[dict[str, str]],
    *,
    max_length: int,
    use_template: bool,
    loss_on: str = "all",
) -> Encoded | None:
    """Token ids and labels for one example; None if no reply token fits in ``max_length``.

    Too long: the oldest context turns are dropped (keeping the system prompt) until it fits; a
    reply that alone is too long is cut at its end.
    """
    msgs = _check_messages(list(messages))
    system = msgs[:1] if msgs[0]["role"] == "system" else []
    rest = msgs[len(system) :]
    dropped = 0
    while True:
        conv = system + rest
        if use_template:
            pieces = _template_pieces(tokenizer, conv)
        else:
            pieces = _transcript_pieces(conv, tokenizer.eos_token)
        last_reply = max(i for i, (_, a) in enumerate(pieces) if a)
        ids: list[int] = []
        labels: list[int] = []
        for i, (text, is_reply) in enumerate(pieces):
            piece = tokenizer(text, add_special_tokens=False)["input_ids"]
            learn = is_reply and (loss_on == "all" or i == last_reply)
            ids += piece
            labels += piece if learn else [IGNORE] * len(piece)
        if len(ids) <= max_length or len(rest) <= 1:
            break
        # Drop the oldest turn, then any leading assistant turns: context starts with the other side.
        rest = rest[1:]
        dropped += 1
        while len(rest) > 1 and rest[0]["role"] == "assistant":
            rest = rest[1:]
            dropped += 1
    ids, labels = ids[:max_length], labels[:max_length]
    # Label positions are predicted from the previous token, so position 0 can never count.
    if not any(x != IGNORE for x in labels[1:]):
        return None
    return Encoded(ids, labels, dropped)


def encode_examples(
    tokenizer: Any,
    rows: Sequence[dict[str, Any]],
    *,
    max_length: int,
    use_template: bool,
    loss_on: str = "all",
) -> tuple[list[Encoded], dict[str, int]]:
    """Encode every example; returns (encoded, counts of what was dropped or shortened)."""
    out: list[Encoded] = []
    counts = {"examples": len(rows), "too_long_dropped": 0, "context_turns_dropped": 0}
    for row in rows:
        enc = encode_messages(
            tokenizer, row["messages"], max_length=max_length, use_template=use_template, loss_on=loss_on
        )
        if enc is None:
            counts["too_long_dropped"] += 1
            continue
        counts["context_turns_dropped"] += enc.dropped_turns
        out.append(enc)
    return out, counts


def bucketed_batches(
    lengths: Sequence[int], batch_size: int, seed: int, *, shuffle: bool = True
) -> list[list[int]]:
    """Index batches of similar lengths (limits padding), in a seeded random order.

    Examples are shuffled, cut into mega-batches of 50 batches, each sorted by length and split; the
    batches are then shuffled so the run does not go from short to long.
    """
    order = list(range(len(lengths)))
    rng = random.Random(seed)
    if shuffle:
        rng.shuffle(order)
    mega = batch_size * 50
    batches: list[list[int]] = []
    for start in range(0, len(order), mega):
        chunk = sorted(order[start : start + mega], key=lambda i: lengths[i])
        batches += [chunk[j : j + batch_size] for j in range(0, len(chunk), batch_size)]
    if shuffle:
        rng.shuffle(batches)
    return batches


def collate(examples: Sequence[Encoded], pad_id: int) -> dict[str, torch.Tensor]:
    """Right-padded tensors; padding is masked out of attention and labels."""
    width = max(len(e) for e in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    for row, e in enumerate(examples):
        n = len(e)
        ids[row, :n] = torch.tensor(e.input_ids)
        labels[row, :n] = torch.tensor(e.labels)
        mask[row, :n] = 1
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


# --------------------------------------------------------------------------- model


def lora_target_modules(model: Any) -> list[str]:
    """The attention and MLP projection layers present in ``model`` (by leaf name)."""
    names = {name.rsplit(".", 1)[-1] for name, _ in model.named_modules()}
    found = [t for t in LORA_TARGETS if t in names]
    if not found:
        raise TrainingError(
            f"no known attention/MLP projection layers in {type(model).__name__} for LoRA "
            f"(looked for {', '.join(LORA_TARGETS[:7])}, ...); use --full instead"
        )
    return found


def prepare_model(model: Any, cfg: TrainConfig) -> Any:
    """Make ``model`` trainable: LoRA adapters (default) or every weight (``cfg.full``)."""
    model.train()
    if getattr(model.config, "use_cache", None):
        model.config.use_cache = False  # no KV cache while training
    if cfg.full:
        model.requires_grad_(True)
        return model
    from peft import LoraConfig, get_peft_model

    model.requires_grad_(False)
    lora = LoraConfig(
        r=cfg.lora_r,
        lora_alpha=cfg.lora_alpha,
        lora_dropout=cfg.lora_dropout,
        target_modules=lora_target_modules(model),
        task_type="CAUSAL_LM",
    )
    peft_model = get_peft_model(model, lora)
    peft_model.train()
    return peft_model


def count_parameters(model: Any) -> tuple[int, int]:
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    return trainable, total


def _unwrap(model: Any) -> Any:
    """The transformers model under a peft wrapper (LoRA layers stay injected in it)."""
    return model.get_base_model() if hasattr(model, "get_base_model") else model


def resolve_precision(setting: str, device: torch.device) -> torch.dtype | None:
    """The autocast dtype: bf16 on GPUs that have it; on CPU only where it measures faster."""
    if setting == "fp32":
        return None
    if setting == "bf16":
        return torch.bfloat16
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else None
    from model.loader import cpu_bf16_is_faster

    return torch.bfloat16 if cpu_bf16_is_faster() else None


def _loss_sum(model: Any, batch: dict[str, torch.Tensor]) -> tuple[torch.Tensor, int]:
    """Summed cross-entropy over the labelled (assistant) tokens, and their count.

    For plain-head models the vocabulary projection runs on the labelled positions only: with a
    49k vocabulary it is a fifth of a small model's compute, and context tokens need no logits.
    """
    ids, mask, labels = batch["input_ids"], batch["attention_mask"], batch["labels"]
    targets = labels[:, 1:]
    keep = targets != IGNORE
    n = int(keep.sum())
    if n == 0:
        return torch.zeros((), device=ids.device, requires_grad=True), 0
    inner = _unwrap(model)
    if (
        getattr(inner.config, "model_type", "") in PLAIN_HEAD_TYPES
        and inner.get_output_embeddings() is not None
    ):
        hidden = inner.base_model(input_ids=ids, attention_mask=mask).last_hidden_state
        logits = inner.get_output_embeddings()(hidden[:, :-1][keep])
    else:
        logits = model(input_ids=ids, attention_mask=mask).logits[:, :-1][keep]
    return F.cross_entropy(logits.float(), targets[keep], reduction="sum"), n


@torch.no_grad()
def evaluate_loss(
    model: Any,
    examples: Sequence[Encoded],
    *,
    pad_id: int,
    batch_size: int,
    device: torch.device,
    autocast_dtype: torch.dtype | None = None,
) -> float:
    """Mean loss per assistant token over ``examples`` (dropout off)."""
    if not examples:
        return float("nan")
    was_training = model.training
    model.eval()
    total, tokens = 0.0, 0
    for idx in bucketed_batches([len(e) for e in examples], batch_size, 0, shuffle=False):
        batch = {k: v.to(device) for k, v in collate([examples[i] for i in idx], pad_id).items()}
        with _autocast(device, autocast_dtype):
            loss, n = _loss_sum(model, batch)
        total += float(loss)
        tokens += n
    if was_training:
        model.train()
    return total / max(tokens, 1)


def _autocast(device: torch.device, dtype: torch.dtype | None) -> Any:
    if dtype is None:
        return nullcontext()
    return torch.autocast(device.type, dtype=dtype)


def perplexity(loss: float) -> float:
    return math.exp(min(loss, 50.0)) if loss == loss else float("nan")


# --------------------------------------------------------------------------- checkpoints


def _rng_state() -> dict[str, Any]:
    state = {"python": random.getstate(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(state: dict[str, Any]) -> None:
    random.setstate(state["python"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def _trainable_state(model: Any) -> dict[str, torch.Tensor]:
    return {name: p.detach().cpu().clone() for name, p in model.named_parameters() if p.requires_grad}


def _save_torch(obj: Any, path: Path) -> None:
    """``torch.save`` through memory: written straight to a file, a full disk surfaces as a bare
    RuntimeError ("basic_ios::clear: iostream error"); written by Python, it is an OSError that says
    "No space left on device"."""
    buf = io.BytesIO()
    torch.save(obj, buf)
    path.write_bytes(buf.getbuffer())


def save_checkpoint(
    folder: Path, model: Any, optimizer: torch.optim.Optimizer, state: dict[str, Any]
) -> Path:
    """Write trainable weights, optimizer, progress and RNG into ``folder/checkpoints/last``.

    Written to a temporary folder and renamed, so a run killed mid-save keeps the previous one.
    """
    root = Path(folder) / CHECKPOINT_DIR
    tmp = root / f".tmp-{os.getpid()}"
    final = root / LAST_CHECKPOINT
    old = root / f".old-{os.getpid()}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        _save_torch(_trainable_state(model), tmp / "trainable.pt")
        _save_torch(optimizer.state_dict(), tmp / "optimizer.pt")
        _save_torch(_rng_state(), tmp / "rng.pt")
        (tmp / "state.json").write_text(json.dumps(state, indent=2), encoding="utf-8")
        if final.exists():
            final.rename(old)
        try:
            tmp.rename(final)
        except OSError:
            if old.exists() and not final.exists():
                old.rename(final)  # the previous checkpoint back in its place
            raise
    except OSError as exc:
        # A full disk (or a file size limit) must not cost the checkpoint already written.
        shutil.rmtree(tmp, ignore_errors=True)
        kept = (
            f"the previous checkpoint in {final} is kept"
            if final.exists()
            else "no earlier checkpoint exists"
        )
        raise TrainingError(
            f"could not write the checkpoint at step {state.get('step', '?')} in {root} "
            f"({exc.strerror or exc}); {kept}. Free some space and continue with --resume."
        ) from exc
    shutil.rmtree(old, ignore_errors=True)
    return final


def load_checkpoint_state(folder: Path) -> dict[str, Any]:
    path = Path(folder) / CHECKPOINT_DIR / LAST_CHECKPOINT / "state.json"
    if not path.is_file():
        raise TrainingError(
            f"--resume: no checkpoint at {path.parent} (was --save-every set on the first run?)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def _restore_checkpoint(folder: Path, model: Any, optimizer: torch.optim.Optimizer) -> None:
    ckpt = Path(folder) / CHECKPOINT_DIR / LAST_CHECKPOINT
    weights = torch.load(ckpt / "trainable.pt", map_location="cpu", weights_only=True)
    params = dict(model.named_parameters())
    missing = [n for n in weights if n not in params]
    if missing or len(weights) != sum(1 for p in params.values() if p.requires_grad):
        raise TrainingError(
            f"--resume: the checkpoint in {ckpt} holds different trainable weights than this run "
            "(changed --full or LoRA settings or base model?); resume with the original options"
        )
    with torch.no_grad():
        for name, tensor in weights.items():
            params[name].copy_(tensor.to(params[name].device))
    optimizer.load_state_dict(torch.load(ckpt / "optimizer.pt", map_location="cpu", weights_only=True))
    _set_rng_state(torch.load(ckpt / "rng.pt", weights_only=False))


# --------------------------------------------------------------------------- training loop


@dataclass
class TrainResult:
    steps: int
    epochs_done: float
    train_tokens: int  # all (non-padding) tokens that went through forward + backward
    target_tokens: int  # assistant tokens the loss was computed on
    train_seconds: float
    tokens_per_second: float
    stopped_by: str  # "max_steps", "epochs", "minutes"
    history: dict[str, list[list[float]]] = field(default_factory=dict)  # train/valid: [step, loss]
    valid_loss_before: float = float("nan")
    valid_loss_after: float = float("nan")
    autocast: str = "fp32"
    resumed_from_step: int = 0


class Trainer:
    """One fine-tuning run. ``run()`` trains until the step, epoch or time budget is spent."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        train: Sequence[Encoded],
        valid: Sequence[Encoded],
        cfg: TrainConfig,
        *,
        out_dir: Path | None = None,
        device: torch.device | None = None,
        progress: bool = True,
        on_eval: Callable[[int, float], None] | None = None,
    ) -> None:
        if not train:
            raise TrainingError(
                "no training examples fit in max_length; raise --max-length or check the data"
            )
        self.model, self.tokenizer, self.cfg = model, tokenizer, cfg
        self.train, self.valid = list(train), list(valid)
        self.out_dir = Path(out_dir) if out_dir else None
        self.device = device or next(model.parameters()).device
        self.progress = progress
        self.on_eval = on_eval
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        if self.pad_id is None:
            raise TrainingError("the tokenizer has neither a pad nor an eos token")
        self.autocast = resolve_precision(cfg.precision, self.device)
        params = [p for p in model.parameters() if p.requires_grad]
        if not params:
            raise TrainingError("the model has no trainable parameters (call prepare_model first)")
        decay = [p for p in params if p.ndim >= 2]
        no_decay = [p for p in params if p.ndim < 2]
        self.optimizer = torch.optim.AdamW(
            [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
            lr=cfg.learning_rate,
            fused=False,
        )
        self.batches_per_epoch = math.ceil(len(self.train) / cfg.batch_size)
        self.steps_per_epoch = max(1, math.ceil(self.batches_per_epoch / cfg.grad_accum))
        by_epochs = max(1, math.ceil(cfg.epochs * self.steps_per_epoch))
        # As in HF Trainer, --max-steps (when set) replaces the epoch count.
        self.total_steps = cfg.max_steps or by_epochs
        self.warmup_steps = max(1, int(self.total_steps * cfg.warmup_ratio)) if cfg.warmup_ratio else 0
        # Progress state (restored by resume)
        self.step = 0
        self.epoch = 0
        self.batch_in_epoch = 0
        self.elapsed = 0.0
        self.train_tokens = 0
        self.target_tokens = 0
        self.history: dict[str, list[list[float]]] = {"train": [], "valid": []}
        self.valid_loss_before = float("nan")
        self.resumed_from_step = 0
        self.extra_state: dict[str, Any] = {}  # the caller's own values, kept in checkpoints

    # -- schedule

    def _progress_fraction(self) -> float:
        frac = self.step / self.total_steps
        if self.cfg.minutes:
            frac = max(frac, self.elapsed / (self.cfg.minutes * 60))
        return min(frac, 1.0)

    def _lr(self) -> float:
        base = self.cfg.learning_rate
        if self.warmup_steps and self.step < self.warmup_steps:
            return base * (self.step + 1) / self.warmup_steps
        # Cosine to 10% of the peak over whichever budget (steps or minutes) runs out first.
        return base * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * self._progress_fraction())))

    def _eval_due(self, last_eval_elapsed: float) -> bool:
        if self.cfg.eval_every:
            return self.step % self.cfg.eval_every == 0
        # Each evaluation costs a forward pass over the validation set: about 4 per run is enough
        # for the curve without eating a CPU run's budget.
        if self.cfg.minutes and self.cfg.minutes * 60 / 4 <= self.elapsed - last_eval_elapsed:
            return True
        if self.cfg.max_steps or not self.cfg.minutes:
            return self.step % max(1, self.total_steps // 4) == 0
        return False

    def _epoch_batches(self, epoch: int) -> list[list[int]]:
        return bucketed_batches([len(e) for e in self.train], self.cfg.batch_size, self.cfg.seed + epoch)

    # -- evaluation

    def evaluate(self) -> float:
        return evaluate_loss(
            self.model,
            self.valid,
            pad_id=self.pad_id,
            batch_size=self.cfg.batch_size,
            device=self.device,
            autocast_dtype=self.autocast,
        )

    # -- checkpoints

    def state(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "epoch": self.epoch,
            "batch_in_epoch": self.batch_in_epoch,
            "elapsed": self.elapsed,
            "train_tokens": self.train_tokens,
            "target_tokens": self.target_tokens,
            "history": self.history,
            "valid_loss_before": self.valid_loss_before,
            "config": asdict(self.cfg),
            "train_examples": len(self.train),
            "extra": self.extra_state,
        }

    def save_checkpoint(self) -> Path | None:
        if self.out_dir is None:
            return None
        path = save_checkpoint(self.out_dir, self.model, self.optimizer, self.state())
        log.info("checkpoint at step %d: %s", self.step, path)
        return path

    def resume(self) -> None:
        """Continue from ``out_dir/checkpoints/last``: weights, optimizer, step, data position, RNG."""
        if self.out_dir is None:
            raise TrainingError("resume needs an output folder")
        state = load_checkpoint_state(self.out_dir)
        old = state.get("config", {})
        for key in (
            "full",
            "lora_r",
            "lora_alpha",
            "batch_size",
            "grad_accum",
            "max_length",
            "seed",
            "loss_on",
        ):
            if key in old and old[key] != getattr(self.cfg, key):
                raise TrainingError(
                    f"--resume: {key.replace('_', '-')} was {old[key]!r} in the checkpoint but is "
                    f"{getattr(self.cfg, key)!r} now; resume with the same value"
                )
        if state.get("train_examples") != len(self.train):
            raise TrainingError(
                f"--resume: the checkpoint was trained on {state.get('train_examples')} examples but "
                f"this run has {len(self.train)}; resume with the same data"
            )
        _restore_checkpoint(self.out_dir, self.model, self.optimizer)
        for key in (
            "step",
            "epoch",
            "batch_in_epoch",
            "elapsed",
            "train_tokens",
            "target_tokens",
            "history",
            "valid_loss_before",
        ):
            setattr(self, key, state[key])
        self.extra_state = state.get("extra", {})
        self.resumed_from_step = self.step
        log.info("resumed at step %d (epoch %d, batch %d)", self.step, self.epoch, self.batch_in_epoch)

    # -- the loop

    def _stop_reason(self) -> str | None:
        if self.cfg.max_steps and self.step >= self.cfg.max_steps:
            return "max_steps"
        if self.step >= self.total_steps:
            return "epochs"
        if self.cfg.minutes and self.elapsed >= self.cfg.minutes * 60:
            return "minutes"
        return None

    def run(self) -> TrainResult:
        from tqdm.auto import tqdm

        cfg = self.cfg
        if self.step == 0 and self.valid and self.valid_loss_before != self.valid_loss_before:
            self.valid_loss_before = self.evaluate()
            self.history["valid"].append([0, self.valid_loss_before])
            log.info("validation loss before training: %.4f", self.valid_loss_before)
        if self.step == 0:
            torch.manual_seed(cfg.seed)
            random.seed(cfg.seed)
        self.model.train()
        bar = tqdm(
            total=self.total_steps,
            initial=self.step,
            disable=not self.progress,
            desc="training",
            unit="step",
            dynamic_ncols=True,
        )
        batches = self._epoch_batches(self.epoch)
        last_eval = self.elapsed
        ema: float | None = None
        session_tokens, session_start = 0, time.perf_counter()
        stopped_by = self._stop_reason()
        step_start = (self.epoch, self.batch_in_epoch, self.step)
        try:
            while stopped_by is None:
                step_start = (self.epoch, self.batch_in_epoch, self.step)
                t0 = time.perf_counter()
                group: list[list[int]] = []
                while len(group) < cfg.grad_accum:
                    if self.batch_in_epoch >= len(batches):
                        self.epoch += 1
                        self.batch_in_epoch = 0
                        batches = self._epoch_batches(self.epoch)
                    group.append(batches[self.batch_in_epoch])
                    self.batch_in_epoch += 1
                tensors = [collate([self.train[i] for i in idx], self.pad_id) for idx in group]
                # Normalise by the assistant tokens of the whole accumulation group: every token weighs
                # the same, however the examples fall into micro-batches.
                group_targets = sum(int((t["labels"][:, 1:] != IGNORE).sum()) for t in tensors)
                lr = self._lr()
                for g in self.optimizer.param_groups:
                    g["lr"] = lr
                step_loss = 0.0
                step_tokens = 0
                for t in tensors:
                    batch = {k: v.to(self.device) for k, v in t.items()}
                    with _autocast(self.device, self.autocast):
                        loss_sum, _ = _loss_sum(self.model, batch)
                    (loss_sum / max(group_targets, 1)).backward()
                    step_loss += float(loss_sum.detach())
                    step_tokens += int(t["attention_mask"].sum())
                torch.nn.utils.clip_grad_norm_([p for p in self.model.parameters() if p.requires_grad], 1.0)
                self.optimizer.step()
                self.optimizer.zero_grad(set_to_none=True)
                self.step += 1
                self.elapsed += time.perf_counter() - t0
                self.train_tokens += step_tokens
                self.target_tokens += group_targets
                session_tokens += step_tokens
                loss = step_loss / max(group_targets, 1)
                self.history["train"].append([self.step, loss])
                ema = loss if ema is None else 0.9 * ema + 0.1 * loss
                rate = session_tokens / max(time.perf_counter() - session_start, 1e-9)
                bar.update(1)
                bar.set_postfix(
                    loss=f"{ema:.3f}", tok_s=f"{rate:.0f}", lr=f"{lr:.1e}", epoch=f"{self._epochs_done():.2f}"
                )
                stopped_by = self._stop_reason()
                if self.valid and (stopped_by is None and self._eval_due(last_eval)):
                    t_eval = time.perf_counter()
                    val = self.evaluate()
                    self.history["valid"].append([self.step, val])
                    last_eval = self.elapsed
                    if self.on_eval:
                        self.on_eval(self.step, val)
                    log.info(
                        "step %d: validation loss %.4f (%.1f s)", self.step, val, time.perf_counter() - t_eval
                    )
                if cfg.save_every and self.step % cfg.save_every == 0 and stopped_by is None:
                    self.save_checkpoint()
        except KeyboardInterrupt:
            bar.close()
            if self.step == step_start[2]:  # stopped mid-step: that step's batches were not learnt
                self.epoch, self.batch_in_epoch = step_start[0], step_start[1]
            self.optimizer.zero_grad(set_to_none=True)
            if cfg.save_every and self.out_dir is not None:
                self.save_checkpoint()
                log.warning("interrupted at step %d; checkpoint saved, continue with --resume", self.step)
            raise
        bar.close()
        after = self.evaluate() if self.valid else float("nan")
        if self.valid and (not self.history["valid"] or self.history["valid"][-1][0] != self.step):
            self.history["valid"].append([self.step, after])
        if cfg.save_every:
            self.save_checkpoint()
        train_s = self.elapsed
        return TrainResult(
            steps=self.step,
            epochs_done=self._epochs_done(),
            train_tokens=self.train_tokens,
            target_tokens=self.target_tokens,
            train_seconds=train_s,
            tokens_per_second=self.train_tokens / max(train_s, 1e-9),
            stopped_by=stopped_by or "epochs",
            history=self.history,
            valid_loss_before=self.valid_loss_before,
            valid_loss_after=after,
            autocast="bf16" if self.autocast == torch.bfloat16 else "fp32",
            resumed_from_step=self.resumed_from_step,
        )

    def _epochs_done(self) -> float:
        return self.epoch + self.batch_in_epoch / max(1, self.batches_per_epoch)


# --------------------------------------------------------------------------- saving and generating


def save_model(model: Any, tokenizer: Any, out_dir: Path, *, keep_adapter: bool = False) -> Any:
    """Save a folder that ``AutoModelForCausalLM.from_pretrained(out_dir)`` and the bot load.

    LoRA adapters are merged into the weights; with ``keep_adapter`` the adapter alone is also kept
    in ``out_dir/adapter`` (small, for sharing or stacking on the same base). Returns the merged model.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        merged = model
        if hasattr(model, "merge_and_unload"):
            if keep_adapter:
                model.save_pretrained(out_dir / "adapter")
            merged = model.merge_and_unload()
        merged.eval()
        if hasattr(merged.config, "use_cache"):
            merged.config.use_cache = True
        merged.save_pretrained(out_dir, safe_serialization=True)
        tokenizer.save_pretrained(out_dir)
    except (OSError, SafetensorError) as exc:  # safetensors reports "I/O error: No space left on device"
        kept = out_dir / CHECKPOINT_DIR / LAST_CHECKPOINT
        after = (
            f"the training's last checkpoint is in {kept}: free some space and continue with --resume"
            if kept.is_dir()
            else "free some space and run again (with --save-every, a later failure keeps a checkpoint)"
        )
        why = getattr(exc, "strerror", None) or str(exc).removeprefix("Error while serializing: ")
        raise TrainingError(f"could not write the trained model to {out_dir} ({why}); {after}") from exc
    return merged


@torch.no_grad()
def generate_replies(
    model: Any,
    tokenizer: Any,
    prompts: Sequence[Sequence[dict[str, str]]],
    *,
    use_template: bool,
    max_new_tokens: int = 48,
    budget: int = 384,
    seed: int = 0,
    batch_size: int = 8,
) -> list[str]:
    """Replies to each prompt (messages ending with a user turn), rendered as the bot renders them."""
    from bot.types import ChatTurn
    from model.prompt import PromptBuilder, end_of_turn_ids

    builder = PromptBuilder(tokenizer, use_chat_template=use_template)
    stop_ids = sorted(end_of_turn_ids(tokenizer, model))
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    replies: list[str] = []
    for start in range(0, len(prompts), batch_size):
        chunk = prompts[start : start + batch_size]
        built = [builder.build([ChatTurn(m["role"], m["content"]) for m in p], budget).ids for p in chunk]
        width = max(len(b) for b in built)
        ids = torch.full((len(built), width), pad_id, dtype=torch.long)
        mask = torch.zeros((len(built), width), dtype=torch.long)
        for row, b in enumerate(built):  # left padding: every prompt ends where generation starts
            ids[row, width - len(b) :] = torch.tensor(b)
            mask[row, width - len(b) :] = 1
        torch.manual_seed(seed + start)
        out = model.generate(
            input_ids=ids.to(device),
            attention_mask=mask.to(device),
            max_new_tokens=max_new_tokens,
            do_sample=True,
            temperature=0.7,
            top_p=0.9,
            repetition_penalty=SAMPLE_REPETITION_PENALTY,
            eos_token_id=stop_ids or None,
            pad_token_id=pad_id,
            use_cache=True,
        )
        for row in out[:, width:]:
            text = tokenizer.decode(row, skip_special_tokens=True)
            for stop in builder.stop:
                text = text.split(stop)[0]
            replies.append(text.strip())
    if was_training:
        model.train()
    return replies
