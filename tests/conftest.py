"""Shared fixtures: real project files in a temporary folder."""

from __future__ import annotations

import pytest
from testkit import TRANSCRIPT

import qualcode as qc


@pytest.fixture
def project(tmp_path):
    p = qc.create_project(tmp_path / "study.qualcode", coder="ane")
    yield p
    p.close()


@pytest.fixture
def small(project):
    """A project with one office, one person, one transcript and a small code tree."""
    office = project.add_case("kontor02", "office")
    project.set_attribute("arm", "tiltak", case=office)
    person = project.add_case("kontor02-A", "person", parent=office)
    project.set_attribute("role", "HPMT-veileder", case=person)
    src = project.add_source("kontor02_T2", TRANSCRIPT, case=person)
    project.set_attribute("time", "T2", source=src)
    barrier = project.add_code("Barrierer", codable=False, en="barriers")
    project.add_code("tid", barrier, en="time", color="#d62728")
    project.add_code("opplæring", barrier, en="training")
    enabler = project.add_code("Føringer", codable=False, en="enablers")
    project.add_code("ledelse", enabler, en="leadership")
    return project
