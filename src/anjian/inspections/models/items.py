"""Inspections: items (models added in the following commits)."""
