"""Benchmark the file-based connectors: a big XLSX inventory and a big expense export.

Usage::

    .venv/bin/python benchmarks/spreadsheets.py [--tools 20000] [--transactions 200000]

Writes, in a temporary folder, an XLSX application register with ``--tools`` rows (openpyxl,
write-only) and an Expensify-style CSV with ``--transactions`` rows (one in four is software, 2,000
merchants, 12 months), then times ``get`` (pandas reading) and ``transform`` (pure parsing) of the
``spreadsheet`` and ``spend`` connectors separately.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402

from benchmarks.timing import timed  # noqa: E402
from connectors.base import ConnectorContext  # noqa: E402
from connectors.spend import SpendConnector, SpendSettings  # noqa: E402
from connectors.spreadsheet import SpreadsheetConnector, SpreadsheetSettings  # noqa: E402

DEPARTMENTS = ("Sales", "Marketing", "Support", "Finance", "Engineering", "Operations", "HR", "Legal")


def write_register(path: Path, tools: int, rng: random.Random) -> None:
    """An application register: name, vendor, category, departments, cost, users, status."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Applications")
    sheet.append(["App ID", "Application", "Vendor", "Category", "Owner Dept", "Annual Cost", "Users", "Status"])
    for i in range(tools):
        sheet.append([f"APP-{i:06d}", f"Tool {i}", f"Vendor {i % 997}", rng.choice(("CRM", "BI", "Ticketing", "")),
                      "; ".join(rng.sample(DEPARTMENTS, 2)), f"${rng.randint(100, 500000):,}", rng.randint(1, 5000),
                      rng.choice(("Active", "Active", "Active", "Retired"))])
    book.save(path)


def write_expenses(path: Path, transactions: int, rng: random.Random) -> None:
    """An Expensify-style export over 2025."""
    start = date(2025, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Timestamp", "Merchant", "Amount", "MCC", "Category", "Tag", "Comment", "Reimbursable",
                      "Original Currency", "Original Amount", "Receipt"])
        for _ in range(transactions):
            day = start + timedelta(days=rng.randrange(365))
            software = rng.random() < 0.25
            merchant = f"SAAS VENDOR {rng.randrange(2000)}*SUB" if software else f"MERCHANT {rng.randrange(20000)}"
            amount = f"{rng.uniform(5, 3000):.2f}"
            out.writerow([f"{day} 10:00:00", merchant, amount, "7372" if software else "5812",
                          "Software" if software else "Meals", rng.choice(DEPARTMENTS), "", "No", "USD", amount, ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tools", type=int, default=20000)
    parser.add_argument("--transactions", type=int, default=200000)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        write_register(base / "register.xlsx", args.tools, rng)
        write_expenses(base / "expenses.csv", args.transactions, rng)
        register = SpreadsheetConnector(SpreadsheetSettings(path="register.xlsx"), ConnectorContext("register", base))
        spend = SpendConnector(SpendSettings(path="expenses.csv"), ConnectorContext("cards", base))
        print(f"{'source':<12} {'rows':>8} {'get_s':>7} {'transform_s':>12} {'tools':>6}")
        for name, rows, connector in (("spreadsheet", args.tools, register), ("spend", args.transactions, spend)):
            get_s, transform_s, tools = timed(connector)
            print(f"{name:<12} {rows:>8} {get_s:>7.2f} {transform_s:>12.2f} {tools:>6}")


if __name__ == "__main__":
    main()
