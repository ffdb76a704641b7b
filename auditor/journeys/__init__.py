"""Journeys at three levels (relationship → individual journeys → touchpoints), their KPIs and the improvement loop."""
