"""A small PySide6 application for step-recording tests: buttons, a menu, tabs, a text field,
a password field, and an error dialog on "Send invoice".

Run as ``python -m tests.apps.qt_invoices [--message TEXT] [--title TITLE]``. Its windows are
what a person would click in; nothing in it knows about Flare.
"""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

DEFAULT_MESSAGE = "The attachment size exceeds the allowable limit."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--title", default="Quarterly report - Invoices")
    parser.add_argument("--message", default=DEFAULT_MESSAGE)
    parser.add_argument("--background", help="an image to show full screen behind the window")
    args = parser.parse_args(argv)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Invoices")
    app.setApplicationDisplayName("Invoices")
    if args.background:
        # A busy screen behind the program, for benchmarks of what steps weigh.
        back = QLabel()
        back.setWindowFlags(Qt.WindowType.FramelessWindowHint
                            | Qt.WindowType.WindowStaysOnBottomHint)
        back.setPixmap(QPixmap(args.background))
        back.setWindowTitle("Background")
        back.move(0, 0)
        back.show()

    window = QMainWindow()
    window.setWindowTitle(args.title)
    menu = window.menuBar().addMenu("&File")
    menu.addAction("&Export as PDF")
    menu.addAction("&Quit", app.quit)

    tabs = QTabWidget()
    general = QWidget()
    form = QFormLayout(general)
    customer = QLineEdit()
    customer.setAccessibleName("Customer")
    form.addRow("Customer", customer)
    password = QLineEdit()
    password.setAccessibleName("Password")
    password.setEchoMode(QLineEdit.EchoMode.Password)
    form.addRow("Password", password)
    tabs.addTab(general, "General")
    details = QWidget()
    QVBoxLayout(details).addWidget(QLineEdit("Net 30"))
    tabs.addTab(details, "Details")

    send = QPushButton("Send invoice")
    save = QPushButton("Save draft")

    def fail() -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, "Error", args.message,
                          QMessageBox.StandardButton.Ok, window)
        box.open()

    send.clicked.connect(fail)
    buttons = QHBoxLayout()
    buttons.addWidget(save)
    buttons.addWidget(send)

    central = QWidget()
    layout = QVBoxLayout(central)
    layout.addWidget(tabs)
    layout.addLayout(buttons)
    window.setCentralWidget(central)
    window.resize(520, 320)
    window.move(380, 300)
    window.show()

    def say_where() -> None:
        # For tests that cannot ask the accessibility tree (it is off): the button's centre.
        centre = send.mapToGlobal(send.rect().center())
        print(f"send-invoice {centre.x()} {centre.y()}", flush=True)

    QTimer.singleShot(500, say_where)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
