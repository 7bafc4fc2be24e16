"""`python -m bot` is `faqbot`."""

import sys

from bot.cli import main

sys.exit(main())
