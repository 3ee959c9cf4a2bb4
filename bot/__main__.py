"""`python -m bot` is the same as the `berdaya` command."""

from bot.cli import main

main()
