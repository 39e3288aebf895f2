// 위젯 관리자(@jupyter-widgets)는 위젯 글자 속 수식을 MathJax 2의 MathJax.Hub.Queue 로 그립니다.
// 사이트와 슬라이드는 MathJax 3을 쓰므로, 같은 일을 MathJax 3의 typesetPromise 에 맡기는 작은 다리를 놓습니다.
(function () {
  if (!window.MathJax || window.MathJax.Hub) { return; }
  window.MathJax.Hub = {
    Queue: function () {
      for (var i = 0; i < arguments.length; i++) {
        var command = arguments[i];
        if (!Array.isArray(command) || command[0] !== 'Typeset') { continue; }
        var element = command[2];
        var startup = window.MathJax.startup;
        (startup && startup.promise ? startup.promise : Promise.resolve()).then(function () {
          return window.MathJax.typesetPromise(element ? [element] : undefined);
        }).catch(function (error) { console.warn('MathJax:', error); });
      }
    }
  };
}());
