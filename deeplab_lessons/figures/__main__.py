"""``python -m deeplab_lessons.figures``: 강좌의 그림을 ``images/`` 에 다시 그립니다."""

from deeplab_lessons.figures import main

main()
