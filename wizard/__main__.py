"""`python -m wizard` is `aifactory`: the command `aifactory serve` starts for each browser."""

from wizard.cli import main

main()
