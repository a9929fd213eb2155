"""The deployment dashboard: a run's lanes, stages and resources, its failures and their retry."""
