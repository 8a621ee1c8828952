"""``invpolicy diff``: where two policies decide differently, over every possible invitation.

:mod:`.space` cuts the invitations into classes, :mod:`.search` finds where
both policies have decided, :mod:`.regions` merges and says the regions,
:mod:`.differ` runs the three and checks each region's witness.
"""
