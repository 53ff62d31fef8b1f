"""The year's rollover (结转): next year's campaign from this one, unfinished items carried over.

An app of the composing layer (beside monthly, dashboards and reports in pyproject.toml's
import-linter contract): it copies what campaigns (plan sections, phases), tasks (categories,
tasks, milestones) and meetings (series) hold, so it must sit above all three; none of the
existing composing apps is about writing a campaign (monthly files reports, dashboards and
reports only read), hence an app of its own. It has no models.
"""
