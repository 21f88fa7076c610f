"""Inspections: draws (models added in the following commits)."""
