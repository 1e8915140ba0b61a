// Command go-oracle answers questions about Go module semantics with golang.org/x/mod itself,
// so the TypeScript ports in src/gomod can be tested against the real implementation.
// Protocol: one JSON request per stdin line, {"id": n, "op": "...", "args": {...}}; one JSON
// answer per stdout line, {"id": n, "result": ...} or {"id": n, "error": "..."}.
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

type request struct {
	ID   int64           `json:"id"`
	Op   string          `json:"op"`
	Args json.RawMessage `json:"args"`
}

type response struct {
	ID     int64  `json:"id"`
	Result any    `json:"result,omitempty"`
	Error  string `json:"error,omitempty"`
}

// outcome is a value or the error text of a call that may fail.
type outcome struct {
	Value any     `json:"value"`
	Error *string `json:"error"`
}

func result(v any, err error) outcome {
	if err != nil {
		s := err.Error()
		return outcome{Error: &s}
	}
	return outcome{Value: v}
}

type args struct {
	Path      string   `json:"path"`
	Escaped   string   `json:"escaped"`
	Version   string   `json:"version"`
	PathMajor string   `json:"pathMajor"`
	A         string   `json:"a"`
	B         string   `json:"b"`
	List      []string `json:"list"`
	Globs     string   `json:"globs"`
	Target    string   `json:"target"`
	File      string   `json:"file"`
	Module    string   `json:"module"`
	Data      string   `json:"data"` // base64
	Text      string   `json:"text"`
	Lax       bool     `json:"lax"`
}

func semverFacts(v string) map[string]any {
	facts := map[string]any{
		"valid":           semver.IsValid(v),
		"canonical":       semver.Canonical(v),
		"moduleCanonical": module.CanonicalVersion(v),
		"major":           semver.Major(v),
		"prerelease":      semver.Prerelease(v),
		"build":           semver.Build(v),
		"isPseudo":        module.IsPseudoVersion(v),
		"pseudoTime":      nil,
		"pseudoBase":      nil,
		"pseudoRev":       nil,
	}
	if t, err := module.PseudoVersionTime(v); err == nil {
		facts["pseudoTime"] = t.UTC().Format(time.RFC3339)
	}
	if b, err := module.PseudoVersionBase(v); err == nil {
		facts["pseudoBase"] = b
	}
	if r, err := module.PseudoVersionRev(v); err == nil {
		facts["pseudoRev"] = r
	}
	return facts
}

func errText(err error) *string {
	if err == nil {
		return nil
	}
	s := err.Error()
	return &s
}

func parseGoMod(a args) any {
	var f *modfile.File
	var err error
	if a.Lax {
		f, err = modfile.ParseLax(a.File, []byte(a.Text), nil)
	} else {
		f, err = modfile.Parse(a.File, []byte(a.Text), nil)
	}
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	out := map[string]any{"error": nil, "module": nil, "deprecated": nil, "go": nil, "toolchain": nil}
	if f.Module != nil {
		out["module"] = map[string]any{"path": f.Module.Mod.Path, "line": f.Module.Syntax.Start.Line}
		if f.Module.Deprecated != "" {
			out["deprecated"] = f.Module.Deprecated
		}
	}
	if f.Go != nil {
		out["go"] = f.Go.Version
	}
	if f.Toolchain != nil {
		out["toolchain"] = f.Toolchain.Name
	}
	req := []map[string]any{}
	for _, r := range f.Require {
		req = append(req, map[string]any{"path": r.Mod.Path, "version": r.Mod.Version, "indirect": r.Indirect, "line": r.Syntax.Start.Line})
	}
	out["require"] = req
	exc := []map[string]any{}
	for _, r := range f.Exclude {
		exc = append(exc, map[string]any{"path": r.Mod.Path, "version": r.Mod.Version, "line": r.Syntax.Start.Line})
	}
	out["exclude"] = exc
	rep := []map[string]any{}
	for _, r := range f.Replace {
		rep = append(rep, map[string]any{
			"old":  map[string]any{"path": r.Old.Path, "version": r.Old.Version},
			"new":  map[string]any{"path": r.New.Path, "version": r.New.Version},
			"line": r.Syntax.Start.Line,
		})
	}
	out["replace"] = rep
	ret := []map[string]any{}
	for _, r := range f.Retract {
		ret = append(ret, map[string]any{"low": r.Low, "high": r.High, "rationale": r.Rationale, "line": r.Syntax.Start.Line})
	}
	out["retract"] = ret
	return out
}

func parseGoWork(a args) any {
	f, err := modfile.ParseWork(a.File, []byte(a.Text), nil)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	out := map[string]any{"error": nil, "go": nil, "toolchain": nil}
	if f.Go != nil {
		out["go"] = f.Go.Version
	}
	if f.Toolchain != nil {
		out["toolchain"] = f.Toolchain.Name
	}
	use := []map[string]any{}
	for _, u := range f.Use {
		use = append(use, map[string]any{"dir": u.Path, "line": u.Syntax.Start.Line})
	}
	out["use"] = use
	rep := []map[string]any{}
	for _, r := range f.Replace {
		rep = append(rep, map[string]any{
			"old":  map[string]any{"path": r.Old.Path, "version": r.Old.Version},
			"new":  map[string]any{"path": r.New.Path, "version": r.New.Version},
			"line": r.Syntax.Start.Line,
		})
	}
	out["replace"] = rep
	return out
}

func handle(op string, a args) (any, error) {
	switch op {
	case "ping":
		return "pong", nil
	case "escapePath":
		return result(module.EscapePath(a.Path)), nil
	case "unescapePath":
		return result(module.UnescapePath(a.Escaped)), nil
	case "escapeVersion":
		return result(module.EscapeVersion(a.Version)), nil
	case "unescapeVersion":
		return result(module.UnescapeVersion(a.Escaped)), nil
	case "checkPath":
		return map[string]any{"error": errText(module.CheckPath(a.Path))}, nil
	case "checkImportPath":
		return map[string]any{"error": errText(module.CheckImportPath(a.Path))}, nil
	case "checkFilePath":
		return map[string]any{"error": errText(module.CheckFilePath(a.Path))}, nil
	case "splitPathVersion":
		prefix, major, ok := module.SplitPathVersion(a.Path)
		return map[string]any{"prefix": prefix, "pathMajor": major, "ok": ok}, nil
	case "check":
		return map[string]any{"error": errText(module.Check(a.Path, a.Version))}, nil
	case "checkPathMajor":
		return map[string]any{"error": errText(module.CheckPathMajor(a.Version, a.PathMajor))}, nil
	case "semver":
		return semverFacts(a.Version), nil
	case "semverCanonical":
		return map[string]any{"semver": semver.Canonical(a.Version), "module": module.CanonicalVersion(a.Version)}, nil
	case "semverCompare":
		return semver.Compare(a.A, a.B), nil
	case "semverSort":
		list := append([]string(nil), a.List...)
		semver.Sort(list)
		return list, nil
	case "isPseudoVersion":
		return module.IsPseudoVersion(a.Version), nil
	case "matchPrefixPatterns":
		return module.MatchPrefixPatterns(a.Globs, a.Target), nil
	case "hashZip":
		return result(dirhash.HashZip(a.File, dirhash.Hash1)), nil
	case "checkZip":
		cf, err := modzip.CheckZip(module.Version{Path: a.Module, Version: a.Version}, a.File)
		invalid := []map[string]string{}
		for _, fe := range cf.Invalid {
			invalid = append(invalid, map[string]string{"path": fe.Path, "error": fe.Err.Error()})
		}
		return map[string]any{"error": errText(err), "invalid": invalid, "valid": cf.Valid}, nil
	case "hashGoMod":
		data, err := base64.StdEncoding.DecodeString(a.Data)
		if err != nil {
			return nil, err
		}
		return dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(string(data))), nil
		})
	case "parseGoMod":
		return parseGoMod(a), nil
	case "parseGoWork":
		return parseGoWork(a), nil
	}
	return nil, fmt.Errorf("unknown op %q", op)
}

func main() {
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	for {
		line, err := in.ReadBytes('\n')
		if len(strings.TrimSpace(string(line))) > 0 {
			var req request
			var resp response
			if jerr := json.Unmarshal(line, &req); jerr != nil {
				resp = response{ID: -1, Error: "bad request: " + jerr.Error()}
			} else {
				resp.ID = req.ID
				var a args
				if len(req.Args) > 0 {
					if jerr := json.Unmarshal(req.Args, &a); jerr != nil {
						resp.Error = "bad args: " + jerr.Error()
					}
				}
				if resp.Error == "" {
					r, herr := handle(req.Op, a)
					if herr != nil {
						resp.Error = herr.Error()
					} else {
						resp.Result = r
					}
				}
			}
			if werr := enc.Encode(resp); werr != nil {
				fmt.Fprintln(os.Stderr, werr)
				os.Exit(1)
			}
		}
		// Flush when no more input is buffered, so pipelined batches go out together.
		if in.Buffered() == 0 {
			out.Flush()
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			out.Flush()
			return
		}
	}
}
