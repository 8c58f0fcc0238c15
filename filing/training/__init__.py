"""Training and rehearsal (issue 8): scenarios that replay the seeds' rollouts on the movable
clock, and the preview of what moving the clock changes.

It sits in ``filing`` (the top of the dependency order) because a scenario touches every
app: accounts, courts' schedules and staff, court-issued CM/ECF logins, e-file records.

- ``scenarios``: load / reset a scenario (data files in ``scenarios/*.json``)
- ``preview``: what happens between the training clock's date and another date
"""
