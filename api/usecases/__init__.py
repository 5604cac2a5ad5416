"""The use cases of the lotsensystem: what a person or a program does with a network –
read a file, preview and take over an import, change one entry, accept a finding,
decide a Maßnahme, bring back a backup, undo a change – each once, as a plain function
over the repository Protocol (:class:`graph.repository.Repository`) and the principal
(:class:`api.usecases.roles.Principal`).

The three doors – the command line (:mod:`api.cli`), the Werkstatt (:mod:`api.web.pages`)
and the JSON routes (:mod:`api.web`) – parse their input, call a use case and render its
answer; they never decide anything a use case decides. Use cases raise the project's
German errors (:mod:`graph.errors`, :class:`api.usecases.roles.ForbiddenError`) and
never import typer, rich, fastapi or starlette (an import-linter contract).
"""
