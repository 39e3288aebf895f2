"""사전 학습 DeepLab 모델: 등록부(이름 → 공식 주소·파일·체크섬)와 모델 파일 찾기.

파일을 찾는 순서: ``model_dir`` 인자 → 환경 변수 ``DEEPLAB_LESSONS_MODEL_DIR`` → 캐시 폴더
(``DEEPLAB_LESSONS_CACHE_DIR`` 또는 ``~/.cache/deeplab_lessons``).
"""

from deeplab_lessons.pretrained.registry import (
    MODELS,
    ModelInfo,
    cache_dir,
    find_model_file,
    get_model_info,
    search_dirs,
)

__all__ = ["MODELS", "ModelInfo", "cache_dir", "find_model_file", "get_model_info", "search_dirs"]
