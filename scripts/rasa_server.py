"""`rasa` with personal numbers masked in every log line (borrower/logmask.py): the command line
is Rasa's own, so `python scripts/rasa_server.py run --model …` is `rasa run --model …`.

Rasa logs user text — the warning for a malformed "/…" message, the error of a failed turn, debug
dumps — before any of this project's code could mask it; installing the mask first, in the same
process, covers all of them. deploy/supervisord.conf, scripts/run.sh and the tests start Rasa
through here.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from borrower.logmask import install  # noqa: E402

if __name__ == "__main__":
    install()
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    main()
