"""원래 DeepLab 데모의 ``DeepLabModel`` 을 TensorFlow 2로 옮긴 것.

원래 코드(TF 1)와 달라진 곳:

- ``tf.GraphDef`` → ``tf.compat.v1.GraphDef``
- ``tf.Graph`` + ``tf.import_graph_def`` + ``tf.Session`` + ``sess.run`` →
  ``tf.compat.v1.wrap_function(...).prune(...)`` (그래프를 가져와 함수로 감싸 호출, Session 없음)
- ``Image.ANTIALIAS`` (Pillow 10에서 제거) → ``Image.Resampling.LANCZOS``

tarball에서 그래프를 풀지 않고 읽는 것은 원래 코드와 같습니다. 원래 데모는 실행할 때마다 모델을 임시 폴더에
새로 내려받았지만, 이 강좌는 :func:`deeplab_lessons.pretrained.load_model` 이 한 번 받아 캐시에 둡니다.
"""

from __future__ import annotations

from pathlib import Path

from deeplab_lessons.pretrained.backends import (
    FROZEN_GRAPH_NAME,
    INPUT_TENSOR_NAME,
    OUTPUT_TENSOR_NAME,
    FrozenGraphBackend,
    read_frozen_graph,
)
from deeplab_lessons.pretrained.files import local_file
from deeplab_lessons.pretrained.inference import SegmentationModel


class DeepLabModel(SegmentationModel):
    """DeepLab 모델을 불러와 추론하는 클래스(원래 데모와 같은 이름과 상수)."""

    INPUT_TENSOR_NAME = INPUT_TENSOR_NAME
    OUTPUT_TENSOR_NAME = OUTPUT_TENSOR_NAME
    INPUT_SIZE = 513
    FROZEN_GRAPH_NAME = FROZEN_GRAPH_NAME

    def __init__(self, tarball_path):
        """tarball에서 사전 학습 모델을 불러옵니다.

        Raises:
            ModelNotFoundError: 파일이 없을 때.
            ModelFileError: tarball이 손상되었거나 frozen graph가 없을 때.
        """
        path = local_file(tarball_path)
        backend = FrozenGraphBackend(read_frozen_graph(path), self.INPUT_SIZE, label=path.name)
        super().__init__(backend, Path(path).name)

    def run(self, image):
        """영상 한 장을 추론합니다.

        Args:
            image: PIL 영상(경로나 배열도 됩니다).

        Returns:
            resized_image: 긴 변을 ``INPUT_SIZE`` 로 줄인 RGB 영상.
            seg_map: ``resized_image`` 크기의 분할 지도(int64 클래스 번호).
        """
        return super().run(image)
