"""테스트 공통 설정: 그림은 화면 없이(Agg) 그리고, TF 시작 로그를 끕니다."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
