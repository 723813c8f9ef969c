"""``heza demo``'s tables and the steps that load them (the command: :mod:`heza.demo`).

Tables: :mod:`.organizers` (organizers, plans, units), :mod:`.directory` (zones, enterprises, people),
:mod:`.conference_texts`, :mod:`.office_texts`, and the accounts in :mod:`.people`. Steps:
:mod:`.organizers`, :mod:`.directory`, :mod:`.conferences` (built from :mod:`.conference_kit`),
:mod:`.office`, :mod:`.people`, sharing one :class:`.context.Demo`; :mod:`.dates` places every day
from the load day; :mod:`.logins` is what the demo prints and keeps for ``heza dev``.

HEZA, Phù Liễn, the city agencies and the zones carry their real public names from the seed
documents; the Hải Triều ward is invented. People, enterprises, tax codes, phone numbers and
email addresses are fictional: addresses are on ``demo.heza.vn``, phone numbers in the unused
``0120 555`` range, and tax codes in the ``0299`` block, a sequence Hai Phong (province 02) is
nowhere near issuing.
"""
