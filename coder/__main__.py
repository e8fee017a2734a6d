"""`python -m coder` runs the command line."""

from cli import main

main()
