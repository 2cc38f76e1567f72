"""The Textual game: course map, lessons, exercises, REPL, graph and loss views.

Built on the grading core; nothing here imports torch (the sandbox does, in its own process).
"""
