"""The model behind the TTT job and the baseline evaluation, behind one small interface.

On the cluster the model is a transformers checkpoint (AutoModelForCausalLM + AutoTokenizer, with its
chat template); for tests and dry runs it is the tiny torch model of tiny_lm.py. The adapters only
tokenise, format a conversation and generate; training, retrieval and restoring live in ttt.py, so
the procedure itself is the same code whichever model runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

IGNORE = -100


@dataclass
class Encoded:
    input_ids: torch.Tensor
    labels: torch.Tensor


class LanguageModel:
    """What the procedure needs: the module, a training example, the logits, a generated answer."""

    def __init__(self, module: nn.Module, device: torch.device) -> None:
        self.module = module
        self.device = device

    def encode_example(self, prompt: str, completion: str, max_length: int) -> Encoded:
        """Prompt and completion as one sequence; the loss counts completion tokens only (assistant-only loss)."""
        prompt_ids = self.prompt_ids(prompt)
        completion_ids = self.completion_ids(completion)
        ids = (prompt_ids + completion_ids)[:max_length]
        labels = ([IGNORE] * len(prompt_ids) + completion_ids)[:max_length]
        tensor = lambda values: torch.tensor([values], dtype=torch.long, device=self.device)
        return Encoded(tensor(ids), tensor(labels))

    def loss(self, example: Encoded) -> torch.Tensor:
        logits = self.logits(example.input_ids)[:, :-1]
        targets = example.labels[:, 1:]
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=IGNORE)

    def prompt_ids(self, prompt: str) -> list[int]:
        raise NotImplementedError

    def completion_ids(self, completion: str) -> list[int]:
        raise NotImplementedError

    def logits(self, input_ids: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def generate(self, prompt: str, max_new_tokens: int, temperature: float, top_p: float, generator: torch.Generator) -> str:
        raise NotImplementedError


class TinyLanguageModel(LanguageModel):
    def __init__(self, path: str, device: torch.device) -> None:
        from tiny_lm import ByteTokenizer, load_tiny

        super().__init__(load_tiny(path).to(device), device)
        self.tokenizer = ByteTokenizer()

    def prompt_ids(self, prompt: str) -> list[int]:
        return [self.tokenizer.bos_token_id] + self.tokenizer.encode(f"User: {prompt}\nAssistant: ")

    def completion_ids(self, completion: str) -> list[int]:
        return self.tokenizer.encode(completion) + [self.tokenizer.eos_token_id]

    def logits(self, input_ids: torch.Tensor) -> torch.Tensor:
        return self.module(input_ids)

    def generate(self, prompt: str, max_new_tokens: int, temperature: float, top_p: float, generator: torch.Generator) -> str:
        context = self.module.config.context
        ids = self.prompt_ids(prompt)
        produced: list[int] = []
        with torch.no_grad():
            for _ in range(max_new_tokens):
                window = torch.tensor([(ids + produced)[-context:]], dtype=torch.long, device=self.device)
                token = pick_token(self.module(window)[0, -1], temperature, top_p, generator)
                if token == self.tokenizer.eos_token_id:
                    break
                produced.append(token)
        return self.tokenizer.decode(produced)


def pick_token(logits: torch.Tensor, temperature: float, top_p: float, generator: torch.Generator) -> int:
    """Greedy at temperature 0, else nucleus sampling (the authors sample with top_p 0.95, temperature 0.7)."""
    if temperature <= 0:
        return int(torch.argmax(logits))
    probabilities = torch.softmax(logits.float() / temperature, dim=-1)
    ordered, order = torch.sort(probabilities, descending=True)
    keep = torch.cumsum(ordered, dim=-1) - ordered < top_p
    ordered = ordered * keep
    choice = torch.multinomial(ordered / ordered.sum(), 1, generator=generator)
    return int(order[choice])


class TransformersLanguageModel(LanguageModel):
    """A transformers checkpoint: the thin adapter the cluster uses (not importable on the studio's machine)."""

    def __init__(self, path: str, device: torch.device, dropout: float | None) -> None:
        from transformers import AutoModelForCausalLM, AutoTokenizer  # type: ignore[import-not-found]

        overrides = {} if dropout is None else {"attention_dropout": dropout}
        module = AutoModelForCausalLM.from_pretrained(path, torch_dtype=torch.bfloat16, **overrides).to(device)
        super().__init__(module, device)
        self.tokenizer = AutoTokenizer.from_pretrained(path)

    def _chat(self, prompt: str) -> str:
        if getattr(self.tokenizer, "chat_template", None):
            return self.tokenizer.apply_chat_template([{"role": "user", "content": prompt}], tokenize=False, add_generation_prompt=True)
        return f"User: {prompt}\nAssistant: "

    def prompt_ids(self, prompt: str) -> list[int]:
        return list(self.tokenizer(self._chat(prompt), add_special_tokens=False).input_ids)

    def completion_ids(self, completion: str) -> list[int]:
        eos = [self.tokenizer.eos_token_id] if self.tokenizer.eos_token_id is not None else []
        return list(self.tokenizer(completion, add_special_tokens=False).input_ids) + eos

    def logits(self, input_ids: torch.Tensor) -> torch.Tensor:
        return self.module(input_ids=input_ids).logits

    def generate(self, prompt: str, max_new_tokens: int, temperature: float, top_p: float, generator: torch.Generator) -> str:
        ids = torch.tensor([self.prompt_ids(prompt)], device=self.device)
        sampling = {"do_sample": True, "temperature": temperature, "top_p": top_p} if temperature > 0 else {"do_sample": False}
        with torch.no_grad():
            output = self.module.generate(input_ids=ids, max_new_tokens=max_new_tokens, pad_token_id=self.tokenizer.eos_token_id, **sampling)
        return self.tokenizer.decode(output[0, ids.shape[1] :], skip_special_tokens=True)


def load_language_model(path: str, device: str, dropout: float | None) -> LanguageModel:
    from tiny_lm import is_tiny_model

    target = torch.device(device)
    if is_tiny_model(path):
        return TinyLanguageModel(path, target)
    return TransformersLanguageModel(path, target, dropout)


