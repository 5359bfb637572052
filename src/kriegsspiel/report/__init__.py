"""Results people can look at: static plots, the HTML report and the browser replay.

Both pages are built from two documented input contracts, ``ReportData`` and ``ReplayData``;
``report.adapters`` makes them from a results folder.
"""

from kriegsspiel.report.data import ReportData
from kriegsspiel.report.plots import (
    plot_compare,
    plot_control,
    plot_fog,
    plot_losses,
    save_figure,
)
from kriegsspiel.report.replay_data import ReplayData
from kriegsspiel.report.replay_page import replay_html, write_replay
from kriegsspiel.report.report_page import report_html, write_report

__all__ = [
    "ReplayData",
    "ReportData",
    "plot_compare",
    "plot_control",
    "plot_fog",
    "plot_losses",
    "replay_html",
    "report_html",
    "save_figure",
    "write_replay",
    "write_report",
]
