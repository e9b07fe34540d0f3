"""Report imports, end to end: intake, the job, the worker's task, the commit, the events.

- ``intake.take_in``: the one way a report comes in (upload, DefectDojo, webhook, analysis);
  ``options`` validates what the request asks for, ``upload.Upload`` is the spooled report;
- ``selectors``: reads scoped to the caller (``import_for``);
- ``services``: the job's writes (create, start, commit, fail, reap) and the events after commit;
- ``tasks.run_import``: the worker's side; ``claims``: which worker process runs a job;
- ``commit``: the set-based commit of a report's findings;
- ``exceptions``: what the intake refuses with, mapped to answers by each service.
"""
