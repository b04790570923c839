"""The counter floor: service groups and counters of a unit, queue tickets (số thứ tự), online
bookings, priority lists, calls and the live screens (kiosk, call display, phone, tablet)."""
