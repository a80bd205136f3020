"""A notification sender that keeps what it was asked to send (the edge: SMS and mail)."""


class RecordingSender:
    name = "recording"
    sent: list[dict] = []

    def send(self, *, phone: str, email: str, subject: str, message: str) -> bool:
        RecordingSender.sent.append(
            {"phone": phone, "email": email, "subject": subject, "message": message}
        )
        return True
