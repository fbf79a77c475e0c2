-- Opens $REPLY_FILE in headless Neovim, attaches `candor lsp` with Neovim's own LSP client,
-- waits for the diagnostics the server publishes, asks for the code actions at the first
-- fixable one, and writes what it received to $OUT, one line each:
--   diag <TAB> code <TAB> severity <TAB> line:col-line:col <TAB> message
--   action <TAB> title <TAB> new text
local function run()
  local bin, file, out_path = os.getenv("CANDOR_BIN"), os.getenv("REPLY_FILE"), os.getenv("OUT")
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local config = { name = "candor", cmd = { bin, "lsp" }, root_dir = vim.fn.fnamemodify(file, ":h") }
  if vim.lsp.start then
    vim.lsp.start(config)
  else -- Neovim 0.7
    local id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(buf, id)
  end
  local got = vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  local lines = {}
  if not got then table.insert(lines, "error\tno diagnostics within 30 s") end
  local fixable
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    local code = d.code or lsp.code or "?"
    table.insert(lines, string.format("diag\t%s\t%d\t%d:%d-%d:%d\t%s", code, d.severity,
      d.lnum + 1, d.col, d.end_lnum + 1, d.end_col, d.message:gsub("\n", " ")))
    if code == "Acme.Utilize" then fixable = d end
  end
  if fixable then
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(buf) },
      range = { start = { line = fixable.lnum, character = fixable.col },
                ["end"] = { line = fixable.end_lnum, character = fixable.end_col } },
      context = { diagnostics = {} },
    }
    local responses = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, 10000) or {}
    for _, response in pairs(responses) do
      for _, action in ipairs(response.result or {}) do
        local new_text = "?"
        for _, edits in pairs((action.edit or {}).changes or {}) do new_text = edits[1].newText end
        table.insert(lines, string.format("action\t%s\t%s\t%s", action.kind or "?", action.title, new_text))
      end
    end
  end
  local f = assert(io.open(out_path, "w"))
  f:write(table.concat(lines, "\n"), "\n")
  f:close()
end

local ok, err = pcall(run)
if not ok then
  local f = io.open(os.getenv("OUT"), "w")
  if f then f:write("error\t", tostring(err), "\n"); f:close() end
  vim.cmd("cquit 1")
end
vim.cmd("qall!")
