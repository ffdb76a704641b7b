"""From findings to a plan: consolidation decisions, what-if scenarios, the ordered plan and the money summary.

``decisions`` (keep/retire per duplicate group) → ``advice`` (hand-off texts name kept tools) →
``scenario``/``whatif`` (re-run the analyses on a changed copy of the landscape) → ``planner``
(ordered actions) → ``money`` (the report's spend figures).
"""
