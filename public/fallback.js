// What the page says when the app cannot run: an engine too old for it, a load that
// failed, or an internal error (a Rust panic) after it started. A classic script in
// ES5, so that even an old engine runs it and the clerk reads a message, not a blank
// page. It builds its text with textContent only; the app's data is never touched.
(function () {
  var RELOAD = '请按 F5 或点下面的“重新载入”；仍不行时，请关闭浏览器后重新打开本页面。';
  var SAFE = '已保存的案件和草稿都在本浏览器中，没有丢失。';
  var ENGINE = '请使用新版 Chrome、Edge、Firefox；360、QQ、搜狗等浏览器请在地址栏右侧切换到“极速模式”。';

  function show(title, lines, detail) {
    var old = document.getElementById('boot-status');
    if (old) old.parentNode.removeChild(old);
    if (document.getElementById('crash')) return;
    var box = document.createElement('div');
    box.id = 'crash';
    box.setAttribute('role', 'alert');
    var h = document.createElement('h1');
    h.textContent = title;
    box.appendChild(h);
    for (var i = 0; i < lines.length; i++) {
      var p = document.createElement('p');
      p.textContent = lines[i];
      box.appendChild(p);
    }
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = '重新载入';
    button.setAttribute('data-reload', '');
    box.appendChild(button);
    if (detail) {
      var d = document.createElement('p');
      d.className = 'crash-detail';
      d.textContent = '技术信息（报告问题时请附上）：' + detail;
      box.appendChild(d);
    }
    document.body.appendChild(box);
  }

  /** Called by boot.js when loading fails, and by the app's panic hook. */
  window.xinfangFailed = function (kind, detail) {
    if (kind === 'panic') {
      show('程序出现内部错误，已停止运行', [SAFE, RELOAD], detail);
    } else if (kind === 'engine') {
      show('此浏览器无法运行本程序', ['本程序需要较新的浏览器内核。' + ENGINE, SAFE], detail);
    } else {
      show('程序未能启动', ['程序文件没有载入成功（可能是网络中断、文件不完整，或浏览器内核过旧）。' + RELOAD, ENGINE, SAFE], detail);
    }
  };

  /** Called by boot.js once the app is mounted. */
  window.xinfangStarted = function () {
    var old = document.getElementById('boot-status');
    if (old) old.parentNode.removeChild(old);
  };

  // Plain JavaScript, so the button works after the app itself has stopped.
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (t && t.getAttribute && t.getAttribute('data-reload') !== null) location.reload();
  });

  // An engine without ES modules or WebAssembly never runs boot.js: say so at once.
  var script = document.createElement('script');
  if (!('noModule' in script) || typeof WebAssembly !== 'object') {
    var start = function () { window.xinfangFailed('engine', navigator.userAgent); };
    if (document.body) start();
    else document.addEventListener('DOMContentLoaded', start);
  }
})();
