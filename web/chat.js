// Starts the rasa-webchat widget on the page and adds 「复制」「下载」 under long bot messages
// (letters, escalation ladders) by watching the widget's DOM.
(function () {
  "use strict";

  var container = document.getElementById("webchat");
  var LONG_CHARS = 300; // a message this long, or with this many lines, gets the buttons
  var LONG_LINES = 8;
  var PART = /^（(\d+)\/(\d+)）\n/; // a long letter comes in parts: "（1/3）\n…" (actions/drafting.py)

  if (!window.WebChat) {
    container.textContent = "对话组件没有加载成功，请稍后刷新页面重试。";
    return;
  }

  window.WebChat.default(
    {
      socketUrl: window.location.origin, // the Rasa server that serves this page
      socketPath: "/socket.io/",
      // Sent by the widget only when the server confirms a session it did not have yet:
      // a reload keeps the session (params.storage) and is not greeted again.
      initPayload: "/greet",
      customData: { language: "zh" },
      title: "借款人维权助手",
      inputTextFieldHint: "请描述你遇到的情况…",
      connectingText: "正在连接…",
      embedded: true,
      hideWhenNotConnected: false,
      showMessageDate: false,
      customMessageDelay: function () { return 400; },
      params: { storage: "local" }, // the session id and the conversation survive a reload
    },
    container
  );

  function responseText(message) {
    var text = message.querySelector(".rw-response .rw-message-text");
    return text ? text.innerText.replace(/\s+$/, "") : null;
  }

  // The text the buttons act on: the message itself, or, under the last part of a letter sent
  // in parts, all its parts without their "（i/n）" lines.
  function textFor(message, text) {
    var part = PART.exec(text);
    if (!part) return text;
    var total = Number(part[2]);
    var responses = Array.prototype.filter.call(
      container.querySelectorAll(".rw-message"), function (each) { return responseText(each) !== null; });
    var parts = responses.slice(0, responses.indexOf(message) + 1).map(responseText)
      .filter(function (each) { var p = PART.exec(each); return p && Number(p[2]) === total; })
      .slice(-total);
    return parts.map(function (each) { return each.replace(PART, ""); }).join("\n");
  }

  function wantsTools(text) {
    var part = PART.exec(text);
    if (part) return part[1] === part[2]; // only under the last part
    return text.length >= LONG_CHARS || text.split("\n").length >= LONG_LINES;
  }

  function copy(text, button) {
    var done = function () { flash(button, "已复制"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { copyByCommand(text) && done(); });
    } else if (copyByCommand(text)) { // plain http on a LAN address has no clipboard API
      done();
    }
  }

  function copyByCommand(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    return ok;
  }

  function download(text) {
    // A BOM and CRLF so that older Windows Notepad opens the Chinese text correctly.
    var blob = new Blob(["\ufeff" + text.replace(/\r?\n/g, "\r\n")], { type: "text/plain;charset=utf-8" });
    var now = new Date();
    var day = String(now.getFullYear()) + String(now.getMonth() + 1).padStart(2, "0") +
      String(now.getDate()).padStart(2, "0");
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "letter-" + day + ".txt";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  }

  function flash(button, label) {
    var before = button.textContent;
    button.textContent = label;
    setTimeout(function () { button.textContent = before; }, 2000);
  }

  function button(label, title, onClick) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "letter-tool";
    element.textContent = label;
    element.title = title;
    element.addEventListener("click", onClick);
    return element;
  }

  function addTools(message) {
    if (message.hasAttribute("data-letter-tools")) return;
    var text = responseText(message);
    if (text === null || !wantsTools(text)) return;
    message.setAttribute("data-letter-tools", "");
    var tools = document.createElement("div");
    tools.className = "letter-tools";
    tools.appendChild(button("复制", "复制这条消息的全文", function (event) {
      copy(textFor(message, responseText(message)), event.currentTarget);
    }));
    tools.appendChild(button("下载", "下载为文本文件（.txt）", function () {
      download(textFor(message, responseText(message)));
    }));
    message.appendChild(tools);
  }

  function scan() {
    Array.prototype.forEach.call(container.querySelectorAll(".rw-message"), addTools);
  }

  new MutationObserver(scan).observe(container, { childList: true, subtree: true });
  scan();
})();
