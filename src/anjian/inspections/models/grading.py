"""Inspections: grading (models added in the following commits)."""
