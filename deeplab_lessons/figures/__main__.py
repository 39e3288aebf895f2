"""``python -m deeplab_lessons.figures --out images``: 강좌의 그림을 주어진 폴더에 다시 그립니다."""

from deeplab_lessons.figures import main

main()
