"""Operating-system errors (a missing file, no permission, a folder instead of a file…) in plain Vietnamese,
each with what to do about it."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable


def describe_os_error(exc: OSError, what: str = "tệp", is_dir: Callable[[str], bool] = os.path.isdir) -> str:
    """One Vietnamese sentence for `exc` naming the file and the fix; `what` names the kind of file.

    Windows reports opening a folder as "permission denied": `is_dir` tells the two apart.
    """
    name = os.fsdecode(exc.filename) if exc.filename is not None else ""
    shown = f" {name}" if name else ""
    if isinstance(exc, IsADirectoryError) or (isinstance(exc, PermissionError) and name and is_dir(name)):
        return (
            f"{name or 'đường dẫn này'} là một thư mục, không phải {what} — hãy ghi đường dẫn tới một {what}."
        )
    if isinstance(exc, FileNotFoundError):
        return (
            f"không tìm thấy {what}{shown} — hãy kiểm tra lại đường dẫn (đường dẫn tương đối được tính "
            "từ thư mục đang chạy lệnh)."
        )
    if isinstance(exc, PermissionError):
        return (
            f"không có quyền đọc/ghi {what}{shown} — hãy cấp quyền cho tài khoản đang chạy bot, chọn một "
            "thư mục khác, hoặc đóng chương trình khác đang mở tệp này."
        )
    if isinstance(exc, NotADirectoryError):
        return (
            f"đường dẫn tới {what}{shown} có một phần là tệp chứ không phải thư mục — hãy kiểm tra lại "
            "đường dẫn."
        )
    if exc.errno == errno.ENOSPC:
        return f"ổ đĩa đã đầy, không ghi được {what}{shown} — hãy giải phóng chỗ trống rồi chạy lại."
    if exc.errno == errno.EROFS:
        return f"ổ đĩa chỉ cho đọc, không ghi được {what}{shown} — hãy chọn một thư mục ghi được."
    detail = exc.strerror or type(exc).__name__
    return f"không truy cập được {what}{shown} (lỗi hệ thống: {detail})."


def unreadable(path: str | os.PathLike[str], what: str = "tệp") -> str | None:
    """Why `path` cannot be opened for reading, in Vietnamese; None when it can."""
    try:
        with open(path, "rb"):
            return None
    except OSError as exc:
        if exc.filename is None:
            exc.filename = os.fspath(path)
        return describe_os_error(exc, what)
