"""Pages of the work plan (a package: plans and tasks, the board and charts, supervision, reporting)."""
