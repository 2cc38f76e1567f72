"""The CI recipe works as written (issue 15): the workflow files under ``docs/ci/`` parse, keep
to the rules the guide promises (CPU torch pinned and cached in every job, lint before
grading, lessons in the grading repository and submissions from the learners', the package
by its published name, ``--batch`` instead of shell loops), and every ``run:`` command in
them runs, job after job as GitHub would order them, in a scratch git repository with a
local class and the real ``tutor``.

What this machine cannot do is skipped or stood in for, and only that: ``actions/checkout``
(the workspace is the scratch repository; the submissions checkout copies the local class),
``actions/setup-python`` (this virtual environment), ``upload-artifact`` and
``download-artifact`` (a folder per artifact). ``pip install`` runs as ``--dry-run`` against
this source tree (the distribution is not published yet; the local CPU wheel stands in for
the PyTorch index) and must resolve torch to the pinned CPU build.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

REPO = Path(__file__).resolve().parents[2]
CI = REPO / "docs" / "ci"
WORKFLOWS = sorted(CI.glob("*.yml"))
LESSONS = REPO / "tests" / "core" / "lessons"
DIST = "autograd-tutor"

RIGHT = {
    "weighted-sum.py": (
        "import torch\nw = torch.ones(3, requires_grad=True)\ny = (w * x).sum()\ny.backward()\n"
    ),
    "leaf-in-place.py": "import torch\nw = torch.tensor([1.0], requires_grad=True)\nw.add_(1)\n",
    "scale-noise.py": "y = noise + noise + noise\n",
    "when-graph.txt": "2\n",
    "leaf-flags.txt": "True  False\n",
}


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict[str, Any]):
    for name, job in workflow["jobs"].items():
        for step in job["steps"]:
            yield name, job, step


# -- the rules, read off the files ------------------------------------------------------------


def test_there_are_workflows_and_they_parse() -> None:
    assert {p.name for p in WORKFLOWS} >= {"grade-class.yml", "lint-lessons.yml"}
    for path in WORKFLOWS:
        data = load(path)
        assert data["jobs"] and data["on"], path


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_installs_pinned_cpu_torch_from_a_cache_keyed_on_the_constraints(
    path: Path,
) -> None:
    workflow = load(path)
    for name, job in workflow["jobs"].items():
        setup = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/setup-p")]
        assert setup, f"{path.name}: job {name} sets up no Python"
        assert setup[0]["with"]["cache"] == "pip"
        assert setup[0]["with"]["cache-dependency-path"] == "constraints.txt"
        installs = [s["run"] for s in job["steps"] if "pip install" in s.get("run", "")]
        assert installs, f"{path.name}: job {name} installs nothing"
        for run in installs:
            assert "-c constraints.txt" in run and DIST in run
            assert "--extra-index-url" in run
        assert "download.pytorch.org/whl/cpu" in str(workflow.get("env", {}))


def _pip_installs(text: str) -> list[list[str]]:
    """The arguments of every ``pip install`` command in a piece of shell."""
    out = []
    for line in text.replace("\\\n", " ").split("\n"):
        for part in re.split(r"&&|\|\||;|\|", line):
            words = part.split()
            if words[:2] == ["pip", "install"]:
                out.append([w.strip("\"'") for w in words[2:]])
    return out


def test_no_recipe_installs_the_other_projects_tutor() -> None:
    """``tutor`` on PyPI is another project: every install names ``autograd-tutor`` (or a
    local tree), in the workflows and in every code block of the guide and the README."""
    code = [p.read_text() for p in WORKFLOWS]
    for doc in (REPO / "docs" / "authoring.md", REPO / "README.md"):
        tokens = MarkdownIt("commonmark").parse(doc.read_text())
        code += [t.content for t in tokens if t.type == "fence"]
    installs = [args for text in code for args in _pip_installs(text)]
    assert installs
    for args in installs:
        assert not any(re.match(r"^tutor([@=<>\[]|$)", a) for a in args), args


def test_the_class_is_linted_before_it_is_graded_from_a_separate_repository() -> None:
    workflow = load(CI / "grade-class.yml")
    jobs = workflow["jobs"]
    assert jobs["grade"]["needs"] == "lint" and jobs["merge"]["needs"] == "grade"
    assert any("tutor lint lessons/" in s.get("run", "") for s in jobs["lint"]["steps"])
    checkouts = [s for s in jobs["grade"]["steps"] if "checkout" in str(s.get("uses", ""))]
    own, theirs = checkouts
    assert "with" not in own  # this (private) repository: the lessons
    assert theirs["with"]["path"] == "submissions"
    assert theirs["with"]["repository"].startswith("${{ vars.")
    assert theirs["with"]["token"].startswith("${{ secrets.")
    assert theirs["with"]["persist-credentials"] is False
    runs = [s.get("run", "") for _, _, s in steps(workflow)]
    assert any("--batch" in r and "--shard" in r for r in runs)
    assert not any(re.search(r"^\s*(for|while)\s", r, re.M) for r in runs)  # no shell loops
    assert workflow["permissions"] == {"contents": "read"}


def test_the_guide_shows_the_workflow_files_as_they_are() -> None:
    guide = (REPO / "docs" / "authoring.md").read_text()
    for path in WORKFLOWS:
        assert f"docs/ci/{path.name}" in guide
    assert (CI / "grade-class.yml").read_text().strip() in guide


# -- running them ----------------------------------------------------------------------------


class Scratch:
    """Runs a workflow's jobs here: each job (and matrix leg) in a fresh clone of the
    scratch grading repository, artifacts passed between jobs as folders."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root, self.env = root, env
        self.repo = root / "grading-repo"
        self.submissions = root / "class"
        self.artifacts: dict[str, Path] = {}
        self.pip: dict[str, dict] = {}
        self.log: list[tuple[str, str, int]] = []  # (job, command, exit status)

    def setup(self) -> None:
        shutil.copytree(LESSONS, self.repo / "lessons")
        shutil.copy(REPO / "constraints.txt", self.repo / "constraints.txt")
        self.git("init", "-q")
        self.commit("lessons")
        wrong = {**RIGHT, "weighted-sum.py": RIGHT["weighted-sum.py"].replace("w * x", "w + x")}
        for n, name in enumerate(["ann", "bob", "carol", "dan", "eve", "fay", "gus", "hal"]):
            folder = self.submissions / name
            folder.mkdir(parents=True)
            answers = RIGHT if n % 2 == 0 else wrong
            for file, text in answers.items():
                if not (name == "carol" and file.endswith(".txt")):
                    (folder / file).write_text(text)

    def git(self, *args: str) -> None:
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(self.repo)]
        subprocess.run([*git, *args], check=True)

    def commit(self, message: str) -> None:
        self.git("add", ".")
        self.git("commit", "-qm", message)

    def expand(self, text: str, matrix: dict[str, Any]) -> str:
        def one(m: re.Match) -> str:
            expr = m.group(1).strip()
            if expr.startswith("matrix."):
                return str(matrix[expr.split(".", 1)[1]])
            if expr == "github.run_id":
                return "4242"
            if expr.startswith(("vars.", "secrets.")):
                return f"<{expr}>"
            raise AssertionError(f"an expression this test does not know: {expr}")

        return re.sub(r"\$\{\{(.*?)\}\}", one, text)

    def run_workflow(self, workflow: dict[str, Any]) -> None:
        done: set[str] = set()
        jobs = workflow["jobs"]
        while len(done) < len(jobs):
            ready = [
                n for n in jobs if n not in done and set(_needs(jobs[n])) <= done
            ]  # fmt: skip
            assert ready, "a cycle in needs"
            for name in ready:
                for n, matrix in enumerate(_matrix(jobs[name])):
                    env = {**self.env, **workflow.get("env", {}), **jobs[name].get("env", {})}
                    self.run_job(name, jobs[name], matrix, env, self.root / f"{name}-{n}")
                done.add(name)

    def run_job(self, name: str, job: dict, matrix: dict, env: dict, ws: Path) -> None:
        for step in job["steps"]:
            uses = str(step.get("uses", ""))
            given = {k: self.expand(str(v), matrix) for k, v in step.get("with", {}).items()}
            if uses.startswith("actions/checkout"):
                if "repository" in given:  # the learners' repository: the local class
                    shutil.copytree(self.submissions, ws / given["path"])
                else:
                    subprocess.run(["git", "clone", "-q", str(self.repo), str(ws)], check=True)
            elif uses.startswith("actions/setup-python"):
                continue  # this virtual environment
            elif uses.startswith("actions/upload-artifact"):
                store = self.root / "artifacts" / given["name"]
                for pattern in given["path"].split():
                    for found in glob.glob(pattern, root_dir=ws):
                        src = ws / found
                        if src.is_dir():
                            shutil.copytree(src, store / found, dirs_exist_ok=True)
                        else:
                            (store / found).parent.mkdir(parents=True, exist_ok=True)
                            shutil.copy(src, store / found)
                self.artifacts[given["name"]] = store
            elif uses.startswith("actions/download-artifact"):
                target = ws / given["path"]
                assert given.get("merge-multiple") == "True"
                for store in self.artifacts.values():
                    shutil.copytree(store, target, dirs_exist_ok=True)
            elif uses:
                raise AssertionError(f"a step this test cannot stand in for: {uses}")
            else:
                script = self.expand(step["run"], matrix)
                self.run_script(name, script, {**env, **step.get("env", {})}, ws)

    def run_script(self, job: str, script: str, env: dict[str, str], ws: Path) -> None:
        if script.strip().startswith("pip install"):
            self.dry_run_pip(script.strip(), env, ws)
            return
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=ws,
            env={**os.environ, **self.env, **env},
            capture_output=True,
            text=True,
            timeout=900,
        )
        self.log.append((job, script, done.returncode))
        assert done.returncode == 0, f"{job}: {script}\n{done.stdout}\n{done.stderr}"

    def dry_run_pip(self, command: str, env: dict[str, str], ws: Path) -> None:
        assert f" {DIST}" in command
        local = command.replace(f" {DIST}", f" {REPO}")
        local = re.sub(r"--extra-index-url\s+\S+", "", local)  # the local wheel stands in
        if local not in self.pip:
            report = self.root / f"pip-{len(self.pip)}.json"
            args = local.split()[2:]
            done = subprocess.run(
                [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
                 "--quiet", "--report", str(report), *args],
                cwd=ws, capture_output=True, text=True, timeout=600,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
            installs = json.loads(report.read_text())["install"]
            self.pip[local] = {i["metadata"]["name"]: i["metadata"]["version"] for i in installs}
        resolved = self.pip[local]
        assert resolved[DIST] and resolved["torch"] == "2.13.0+cpu", resolved
        self.log.append(("pip", command, 0))


def _needs(job: dict) -> list[str]:
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else list(needs)


def _matrix(job: dict) -> list[dict[str, Any]]:
    matrix = job.get("strategy", {}).get("matrix")
    if not matrix:
        return [{}]
    ((key, values),) = matrix.items()  # the recipe uses one dimension
    return [{key: v} for v in values]


@pytest.fixture
def scratch(tmp_path: Path) -> Scratch:
    env = {
        "TUTOR_CACHE_DIR": str(tmp_path / "cache"),
        "TUTOR_DATA_DIR": str(tmp_path / "data"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    os.environ.pop("TUTOR_LESSONS", None)
    box = Scratch(tmp_path, env)
    box.setup()
    return box


@pytest.mark.slow
def test_the_class_workflow_runs_as_written(scratch: Scratch) -> None:
    scratch.run_workflow(load(CI / "grade-class.yml"))
    jobs = [job for job, _, _ in scratch.log if job != "pip"]
    assert jobs[0] == "lint" and jobs[-1] == "merge" and jobs.count("grade") == 4
    grades = scratch.artifacts["grades"]
    rows = list(csv.reader(io.StringIO((grades / "grades.csv").read_text())))
    assert [r[0] for r in rows[1:]] == ["ann", "bob", "carol", "dan", "eve", "fay", "gus", "hal"]
    score = {r[0]: (r[1], int(r[2]), int(r[3])) for r in rows[1:]}
    assert score["ann"][0] == "pass" and score["ann"][1] == score["ann"][2] > 0
    assert score["bob"][0] == "fail" and score["carol"][0] == "fail"
    junit = ET.parse(grades / "grades.xml").getroot()
    failure = next(c for c in junit.iter("testcase") if c.get("classname") == "bob"
                   and c.get("name") == "weighted-sum").find("failure")  # fmt: skip
    assert failure is not None and "w.grad: expected" in (failure.text or "")  # the details


@pytest.mark.slow
def test_the_lint_workflow_runs_as_written(scratch: Scratch) -> None:
    scratch.run_workflow(load(CI / "lint-lessons.yml"))
    assert [job for job, _, code in scratch.log if job != "pip"] == ["lint"]


@pytest.mark.slow
def test_a_broken_solution_stops_the_class_workflow_at_lint(scratch: Scratch) -> None:
    lesson = scratch.repo / "lessons" / "01-grading-basics.md"
    lesson.write_text(lesson.read_text().replace("y = torch.mul(w, x).sum()", "y = w[5]"))
    scratch.commit("a broken solution")
    with pytest.raises(AssertionError, match="lint: tutor lint lessons/"):
        scratch.run_workflow(load(CI / "grade-class.yml"))
    assert "grades" not in scratch.artifacts
