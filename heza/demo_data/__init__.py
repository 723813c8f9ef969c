"""Tables behind ``heza demo``: the directory (:mod:`.directory`) and the items that fill it (:mod:`.content`).

Organisations (HEZA, the ward, departments, city agencies, media, industrial zones) carry their
real public names from the seed documents. People, enterprises, tax codes, phone numbers and
email addresses are fictional: addresses are on ``demo.heza.vn`` and tax codes use the
``0299`` block, a sequence Hai Phong (province 02) is nowhere near issuing.
"""
