"""A small project written into a temporary folder, and builds of it read back."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from vnr.build import Options, build

SETTINGS = """\
title: Second Voluntary National Review of the Republic of Kazakhstan
subtitle: Draft for consultation
country: KZ
year: 2022
language: en
"""

CHAPTERS = {
    "sdg-06.yaml": """\
        id: sdg-06
        order: 60
        title: Clean water and sanitation
        goals: [6]
        body: |
          Access to safe drinking water in rural settlements remains the main concern of the south.
        sections:
          - id: sdg-06-water
            title: Drinking water in villages
            targets: ["6.1"]
            body: |
              Group water pipelines reach most villages of Kyzylorda Region.
        """,
    "sdg-07.yaml": """\
        id: sdg-07
        order: 70
        title: Affordable and clean energy
        goals: [7]
        body: |
          The seminars gathered {{ consultations.participants.total | number }} participants in
          {{ consultations.seminars.total }} seminars; the first priority was
          SDG {{ consultations.priorities[0].goal }} with {{ consultations.priorities[0].share | percent }}.

          | Year | Renewable share of electricity, % |
          |---|---|
          | 2020 | 3.0 |
          | 2021 | 3.7 |

          - Ekibastuz heating plant
          - Worn district heating networks
        sections:
          - id: sdg-07-heat
            title: Uninterrupted electricity and heating
            targets: ["7.1"]
            body: |
              Heating networks in the north are worn.

              1. Modernise combined heat and power plants
              2. Replace networks
        """,
    "intro.yaml": """\
        id: intro
        order: 10
        title: Introduction
        body: |
          This review reports on the 2030 Agenda in Kazakhstan.
        """,
}

FEEDBACK = {
    "kz-75-leb.yaml": """\
        region: KZ-75
        city: Almaty
        date: 2022-03-14
        audience: leb
        participants:
          leb: 31
          civil_society: 9
        priorities: {7: 21, 11: 18, 6: 9}
        comments:
          - id: waste-1
            text: "Separate collection of household waste exists only in the city centre. <script>alert(1)</script>"
            targets: ["11.6", "12.5"]
            goals: [12]
            kind: problem
            from: leb
          - id: heat-1
            text: "Отопление в микрорайонах отключают зимой; жылу беру үзіліссіз болуы керек."
            targets: ["7.1", "6.1"]
            kind: problem
            from: civil_society
        """,
    "kz-11-residents.yaml": """\
        region: KZ-11
        city: Kokshetau
        date: 2022-03-20
        audience: residents
        participants:
          youth: 20
          retirees: 10
        priorities: {6: 12, 4: 20}
        comments:
          - id: school-1
            text: "How will the review reflect small rural schools?"
            goals: [4]
            kind: question
            from: youth
          - id: solar-1
            text: "Solar panels on the roofs of rural schools."
            targets: ["7.1", "7.b"]
            kind: proposal
            from: youth
        """,
    "kz-43-residents.yaml": """\
        region: KZ-43
        city: Kyzylorda
        date: 2022-04-02
        audience: residents
        participants:
          civil_society: 12
          disability: 3
          other: 5
        comments:
          - id: water-1
            text: "Ауылда ауыз су тәулігіне екі сағат қана беріледі."
            goals: [6]
            kind: problem
            from: civil_society
        """,
}


def write_project(root: Path, chapters=CHAPTERS, feedback=FEEDBACK, settings=SETTINGS) -> Path:
    (root / "chapters").mkdir(parents=True, exist_ok=True)
    (root / "feedback").mkdir(exist_ok=True)
    (root / "vnr.yaml").write_text(settings, encoding="utf-8")
    for name, text in chapters.items():
        (root / "chapters" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    for name, text in feedback.items():
        (root / "feedback" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The fixture project built once (reviewers' edition, all formats): its build folder."""
    root = write_project(tmp_path_factory.mktemp("built") / "project")
    build(Options(root, root / "build", revision="rev-test-1"))
    return root / "build"


REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shared_build(tmp_path_factory):
    """`shared_build(*args)`: (build folder, stderr) of `vnr build *args` run from the repository (the
    sample: `--lang zh`; an example: `examples/jordan-ar`), built once for every module that reads it."""
    made: dict[tuple[str, ...], tuple[Path, str]] = {}

    def get(*args: str) -> tuple[Path, str]:
        if args not in made:
            out = tmp_path_factory.mktemp("shared") / "out"
            done = subprocess.run([sys.executable, "-m", "vnr", "build", *args, "-o", str(out), "--revision", "r"],
                                  cwd=REPO, capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
            made[args] = (out, done.stderr)
        return made[args]

    return get
