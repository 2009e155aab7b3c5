"""The GTK 3 twin of qt_invoices.py, for step-recording tests: a menu, tabs, a text field, a
password field and buttons. Run with the system Python (python3-gi, gir1.2-gtk-3.0)."""

from __future__ import annotations

import sys

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import GLib, Gtk  # noqa: E402


def main() -> int:
    GLib.set_prgname("Invoices GTK")  # what AT-SPI calls the program
    GLib.set_application_name("Invoices GTK")
    window = Gtk.Window(title="Quarterly report - Invoices GTK")
    window.connect("destroy", Gtk.main_quit)
    box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=6)

    bar = Gtk.MenuBar()
    file_item = Gtk.MenuItem.new_with_mnemonic("_File")
    menu = Gtk.Menu()
    menu.append(Gtk.MenuItem(label="Export as PDF"))
    quit_item = Gtk.MenuItem(label="Quit")
    quit_item.connect("activate", lambda _i: Gtk.main_quit())
    menu.append(quit_item)
    file_item.set_submenu(menu)
    bar.append(file_item)
    box.pack_start(bar, False, False, 0)

    tabs = Gtk.Notebook()
    general = Gtk.Grid(row_spacing=6, column_spacing=6)
    customer = Gtk.Entry()
    customer.get_accessible().set_name("Customer")
    general.attach(Gtk.Label(label="Customer"), 0, 0, 1, 1)
    general.attach(customer, 1, 0, 1, 1)
    password = Gtk.Entry(visibility=False)
    password.get_accessible().set_name("Password")
    general.attach(Gtk.Label(label="Password"), 0, 1, 1, 1)
    general.attach(password, 1, 1, 1, 1)
    tabs.append_page(general, Gtk.Label(label="General"))
    tabs.append_page(Gtk.Entry(text="Net 30"), Gtk.Label(label="Details"))
    box.pack_start(tabs, True, True, 0)

    buttons = Gtk.Box(spacing=6)
    buttons.pack_start(Gtk.Button(label="Save draft"), True, True, 0)
    buttons.pack_start(Gtk.Button(label="Send invoice"), True, True, 0)
    box.pack_start(buttons, False, False, 0)

    window.add(box)
    window.set_default_size(520, 320)
    window.move(380, 300)
    window.show_all()
    Gtk.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
