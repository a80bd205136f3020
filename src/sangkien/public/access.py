"""Which initiatives this browser has proved it may see: the ones it submitted or looked up.

The receipt page, the edit page and the withdraw action answer only for receipts remembered in
the session; anybody else has to go through the lookup with the receipt and the phone number.
"""

SESSION_KEY = "sangkien_receipts"
KEEP = 20


def remember(request, receipt: str) -> None:
    known = [code for code in request.session.get(SESSION_KEY, []) if code != receipt]
    request.session[SESSION_KEY] = [receipt, *known][:KEEP]


def proved(request, receipt: str) -> bool:
    return receipt in request.session.get(SESSION_KEY, [])
