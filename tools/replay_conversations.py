"""Replay written conversations through the bot, as the console chat shows them, and compare two runs.

A conversation file is YAML: a list of `{id: str, messages: [str, ...]}` (other keys, such as
`style`, are kept as they are). Each conversation runs in its own chat, message after message, with
the console's rendering (numbered options; a typed number picks one). The shipped FAQ and the
default config are used unless `--config` / `--faq` say otherwise.

    python tools/replay_conversations.py run tests/data/conversations/*.yaml -o /tmp/after.json
    python tools/replay_conversations.py diff /tmp/before.json /tmp/after.json

`diff` prints every reply that changed, with the message and the replies before and after, and a
count per file; it is how a change to matching or to the conversation is checked against testers'
conversations (see tests/data/conversations/README.md). Nothing here is a test: it does not judge.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import build_knowledge  # noqa: E402
from bot.channels.console import ConsoleChat  # noqa: E402
from bot.commands.common import indexer_or_note, read_config  # noqa: E402
from bot.config import AppConfig  # noqa: E402
from handlers.conversation import Conversation  # noqa: E402

Transcript = dict[str, list[dict[str, str]]]


class _Capture(io.StringIO):
    """A stdout that keeps each written block."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []

    def write(self, text: str) -> int:
        """Keep the block (ConsoleChat writes one per reply)."""
        self.blocks.append(text.rstrip("\n"))
        return len(text)


def _conversations(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise SystemExit(f"{path}: expected a list of conversations")
    return data


def replay(paths: Sequence[Path], config_path: str | None, faq: str | None) -> dict[str, Transcript]:
    """Every conversation of every file, run through one bot: {file: {conversation id: exchanges}}."""
    logging.getLogger().addHandler(logging.NullHandler())
    config = read_config(config_path, default=AppConfig())
    if config is None:
        raise SystemExit(2)
    if faq:
        config = dataclasses.replace(config, faq=dataclasses.replace(config.faq, path=faq))
    knowledge = build_knowledge(config, indexer=indexer_or_note(config), console=sys.stderr)
    out: dict[str, Transcript] = {}
    for path in paths:
        runs: Transcript = {}
        for n, conv in enumerate(_conversations(path)):
            cid = str(conv.get("id", n))
            messages = [str(m) for m in conv.get("messages", [])]
            conversation = Conversation(knowledge, context_ttl=config.conversation.context_ttl)
            sink = _Capture()
            # Each message whole: through stdin a letter of several paragraphs became one message per
            # line (QA round 15: its greeting line alone got "em nghe đây").
            chat = ConsoleChat(
                conversation, stdin=io.StringIO(), stdout=sink, interactive=False, chat_id=f"replay-{cid}"
            )
            chat.start()
            for message in messages:
                chat.send(message)
            replies = [b for b in sink.blocks if b.strip()][1:]  # the first block greets
            runs[cid] = [{"message": m, "reply": r} for m, r in zip(messages, replies, strict=False)]
        out[path.name] = runs
    return out


def diff(before: dict[str, Transcript], after: dict[str, Transcript]) -> int:
    """Print each reply that differs between two runs; the number of changed replies."""
    changed = 0
    for name, runs in after.items():
        old_runs = before.get(name, {})
        count = 0
        for cid, exchanges in runs.items():
            old = old_runs.get(cid, [])
            for i, ex in enumerate(exchanges):
                prev = old[i]["reply"] if i < len(old) else None
                if prev == ex["reply"]:
                    continue
                count += 1
                print(f"=== {name} {cid} #{i}: {ex['message']}")
                print("--- before:\n" + (prev or "(none)"))
                print("+++ after:\n" + ex["reply"] + "\n")
        total = sum(len(e) for e in runs.values())
        print(f"# {name}: {count} of {total} replies changed")
        changed += count
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: `run FILES -o OUT.json` or `diff BEFORE.json AFTER.json`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    run_p = sub.add_parser("run")
    run_p.add_argument("files", nargs="+", type=Path)
    run_p.add_argument("-o", "--out", type=Path, required=True)
    run_p.add_argument("--config")
    run_p.add_argument("--faq")
    diff_p = sub.add_parser("diff")
    diff_p.add_argument("before", type=Path)
    diff_p.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.cmd == "run":
        result = replay(args.files, args.config, args.faq)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"{sum(len(r) for r in result.values())} conversations written to {args.out}", file=sys.stderr)
        return 0
    before = json.loads(args.before.read_text(encoding="utf-8"))
    after = json.loads(args.after.read_text(encoding="utf-8"))
    diff(before, after)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
