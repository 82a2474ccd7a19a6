"""The architecture holds: channels and actions on top, the core in the middle, storage and content below.

Imports are read from the source (ast), so a module that reaches up a layer fails here
before a newcomer trips over it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Everything directly in bot/ except storage (the one module allowed SQLAlchemy) and the CLI.
CORE = sorted(
    str(path.relative_to(ROOT))
    for path in (ROOT / "bot").glob("*.py")
    if path.name not in ("__init__.py", "__main__.py", "storage.py")
)
FEATURES = sorted(
    path.name for path in (ROOT / "actions").glob("*.py") if path.stem not in ("__init__", "common")
)


def imported_modules(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def reaches(names: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(name for name in names if name.split(".")[0] in prefixes or name.startswith(prefixes))


def test_the_core_imports_neither_rasa_nor_sqlalchemy_nor_anything_above_it():
    above = (
        "rasa",
        "rasa_sdk",
        "sqlalchemy",
        "alembic",
        "actions",
        "bot.storage",
        "bot.channels",
        "bot.rasa_ext",
    )
    for path in CORE:
        assert reaches(imported_modules(path), above) == [], path


def test_storage_and_content_point_down_only():
    above = ("rasa", "rasa_sdk", "actions", "bot.channels", "bot.rasa_ext", "bot.tutor", "bot.results")
    for path in ("bot/storage.py", "bot/content.py", "bot/privacy.py"):
        assert reaches(imported_modules(path), above) == [], path


def test_no_feature_module_of_the_actions_imports_another():
    assert {"explain.py", "questionnaire.py", "results.py", "my_data.py", "safety.py"} <= set(FEATURES)
    for feature in FEATURES:
        others = tuple(f"actions.{other[:-3]}" for other in FEATURES if other != feature)
        assert reaches(imported_modules(f"actions/{feature}"), others) == [], feature


def test_channels_talk_to_rasa_over_its_interfaces_not_to_actions_or_storage():
    for path in (ROOT / "bot" / "channels").glob("*.py"):
        names = imported_modules(str(path.relative_to(ROOT)))
        assert reaches(names, ("actions", "bot.storage", "sqlalchemy")) == [], path.name


def test_the_action_server_loads_neither_spacy_nor_tensorflow():
    """Its memory stays small: the models belong to the Rasa server alone."""
    probe = (
        "import sys, importlib, pkgutil, actions\n"
        "HEAVY = {'spacy', 'tensorflow', 'thinc', 'rasa', 'torch'}\n"
        "for info in pkgutil.iter_modules(actions.__path__):\n"
        "    importlib.import_module(f'actions.{info.name}')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & HEAVY))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
