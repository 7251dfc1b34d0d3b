"""Every write to campaigns and plans: validated, recorded in the activity log, atomic."""
