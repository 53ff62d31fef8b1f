"""Kept only for shigan.monthly.forms, which imports BadCell and decimal from here; the cell
parsers are core.xlsx.cells'. New code imports them from there."""

from shigan.core.xlsx.cells import BadCell, decimal

__all__ = ["BadCell", "decimal"]
