/*
 * ShimGen - generates a forwarding ("soname bridge") shared library for x86-64 Linux.
 *
 * Typical use: JCudnn 11.7.0's JNI library NEEDS libcudnn.so.8 and binds its cudnn* imports to the
 * symbol version node 'libcudnn.so.8'. Only cuDNN 9 (libcudnn.so.9) is installed. ShimGen reads the
 * JNI library's undefined dynamic symbols (nm -D --undefined-only), keeps those bound to the given
 * version node, and emits:
 *
 *   shim_trampolines.S  one exported 'jmp *slot(%rip)' trampoline per symbol, a slot table whose
 *                       entries initially point at per-symbol lazy stubs, and one common lazy stub
 *                       that saves all argument registers, calls shim_resolve(index), restores them
 *                       and tail-jumps to the resolved function (signature-agnostic, no headers needed)
 *   shim_runtime.c      dlopen()s the target(s) on first use, dlsym()s each symbol; a symbol that is
 *                       missing resolves to a stub that returns the configured error status
 *   shim.map            version script: node <version-node> exporting exactly those symbols
 *   build.sh            gcc command line producing <soname> with SONAME and version node set
 *   symbols.txt         the exported symbol list
 *
 * Usage (single-file source launch, Java 11+):
 *   java ShimGen.java --jni libJCudnn-11.7.0-linux-x86_64.so --soname libcudnn.so.8 \
 *        --target libcudnn.so.9 --missing-status 3000 --env JCUDA_CUDNN8_SHIM_TARGET --out build/cudnn8
 *   build/cudnn8/build.sh
 * For every --jni library it prints how many undefined dynamic symbols 'nm -D --undefined-only'
 * reports and how many of them are bound to the version node (those become the exports).
 *
 * Options:
 *   --jni FILE            (repeatable) JNI/consumer library whose imports define the export list
 *   --symbols FILE        alternatively/additionally: plain list of symbol names, one per line
 *   --soname NAME         SONAME of the shim, e.g. libcudnn.so.8 (required)
 *   --version-node NAME   version node to export (default: the soname); symbols bound to this
 *                         version in the --jni libraries are selected
 *   --prefix P            additionally select unversioned undefined symbols starting with P
 *   --target NAME         (repeatable) library to forward to, searched in order (soname or path)
 *   --env VAR             colon-separated list of target paths that overrides --target at run time
 *                         (default SHIM_TARGET); VAR_VERBOSE=1 logs resolution, VAR_EAGER=1 resolves
 *                         everything in a constructor
 *   --missing-status N    int returned by functions missing in the target (default 9). Use the
 *                         numbering of the TARGET library, since every forwarded call returns that:
 *                         3000 = CUDNN_STATUS_NOT_SUPPORTED for a libcudnn.so.9 target (cuDNN 9
 *                         renumbered cudnnStatus_t; 9 was the cuDNN 8 value), 15 =
 *                         CUBLAS_STATUS_NOT_SUPPORTED (unchanged in cuBLAS 13)
 *   --tag T               identifier used in internal symbol names/log lines (default from soname)
 *   --out DIR             output directory (required)
 */
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.regex.*;

public class ShimGen {
    public static void main(String[] args) throws Exception {
        List<String> jnis = new ArrayList<>(), symFiles = new ArrayList<>(), targets = new ArrayList<>();
        String soname = null, node = null, prefix = null, env = "SHIM_TARGET", out = null, tag = null;
        int missing = 9;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = (i + 1 < args.length) ? args[i + 1] : null;
            switch (a) {
                case "--jni": jnis.add(v); i++; break;
                case "--symbols": symFiles.add(v); i++; break;
                case "--soname": soname = v; i++; break;
                case "--version-node": node = v; i++; break;
                case "--prefix": prefix = v; i++; break;
                case "--target": targets.add(v); i++; break;
                case "--env": env = v; i++; break;
                case "--missing-status": missing = Integer.parseInt(v); i++; break;
                case "--tag": tag = v; i++; break;
                case "--out": out = v; i++; break;
                default: die("unknown option " + a);
            }
        }
        if (soname == null || out == null || targets.isEmpty()) die("need --soname, --target and --out");
        if (node == null) node = soname;
        if (tag == null) tag = soname.replaceAll("[^A-Za-z0-9]", "_");
        if (!env.matches("[A-Za-z_][A-Za-z0-9_]*")) die("bad --env name");

        TreeSet<String> syms = new TreeSet<>();
        for (String f : jnis) syms.addAll(importsOf(f, node, prefix));
        for (String f : symFiles)
            for (String l : Files.readAllLines(Paths.get(f))) {
                l = l.trim().replaceAll("@.*", "");
                if (!l.isEmpty() && !l.startsWith("#")) syms.add(l);
            }
        if (syms.isEmpty()) die("no symbols selected (version node '" + node + "')");
        for (String s : syms) if (!s.matches("[A-Za-z_][A-Za-z0-9_]*")) die("odd symbol name: " + s);

        Path dir = Paths.get(out);
        Files.createDirectories(dir);
        List<String> list = new ArrayList<>(syms);
        write(dir.resolve("symbols.txt"), String.join("\n", list) + "\n");
        write(dir.resolve("shim_trampolines.S"), asm(list, tag));
        write(dir.resolve("shim_runtime.c"), runtime(list, targets, env, missing, tag, soname));
        write(dir.resolve("shim.map"), versionScript(list, node));
        write(dir.resolve("build.sh"), buildScript(soname));
        dir.resolve("build.sh").toFile().setExecutable(true);
        System.out.println("ShimGen: " + list.size() + " symbols, soname " + soname + ", node " + node
                + ", targets " + targets + " -> " + dir);
    }

    /** Undefined dynamic symbols of lib bound to version node (or unversioned with prefix). */
    static List<String> importsOf(String lib, String node, String prefix) throws Exception {
        Process p = new ProcessBuilder("nm", "-D", "--undefined-only", lib).redirectErrorStream(true).start();
        List<String> res = new ArrayList<>();
        int total = 0;
        Pattern pat = Pattern.compile("^\\s*[Uw]\\s+([A-Za-z_][A-Za-z0-9_]*)(?:@+(\\S+))?\\s*$");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                Matcher m = pat.matcher(line);
                if (!m.matches()) continue;
                total++;
                String name = m.group(1), ver = m.group(2);
                if (node.equals(ver) || (ver == null && prefix != null && name.startsWith(prefix))) res.add(name);
            }
        }
        if (p.waitFor() != 0) die("nm failed on " + lib);
        System.out.println("ShimGen: nm -D --undefined-only " + Paths.get(lib).getFileName() + ": " + total
                + " undefined, " + res.size() + " bound to node " + node + (prefix != null ? " (or unversioned " + prefix + "*)" : ""));
        return res;
    }

    static String asm(List<String> syms, String tag) {
        StringBuilder b = new StringBuilder();
        b.append("/* generated by ShimGen - x86-64 SysV trampolines */\n");
        b.append("\t.text\n");
        // exported trampolines: jmp through the slot table (no registers touched)
        for (int i = 0; i < syms.size(); i++) {
            String s = syms.get(i);
            b.append("\t.p2align 4\n\t.globl ").append(s).append("\n\t.type ").append(s).append(", @function\n")
             .append(s).append(":\n\t.cfi_startproc\n\tjmp *shim_slots+").append(8 * i).append("(%rip)\n")
             .append("\t.cfi_endproc\n\t.size ").append(s).append(", .-").append(s).append("\n");
        }
        // per-symbol lazy stubs: index in %r11 (caller-saved, never an argument register)
        for (int i = 0; i < syms.size(); i++) {
            b.append("\t.p2align 3\n.Llazy").append(i).append(":\n\tmovl $").append(i)
             .append(", %r11d\n\tjmp .Llazy_common\n");
        }
        // common lazy stub: preserve rdi rsi rdx rcx r8 r9 rax(al = #vector args) xmm0-7, call resolver
        b.append("\t.p2align 4\n.Llazy_common:\n\t.cfi_startproc\n")
         .append("\tpushq %rbp\n\t.cfi_def_cfa_offset 16\n\t.cfi_offset %rbp, -16\n")
         .append("\tmovq %rsp, %rbp\n\t.cfi_def_cfa_register %rbp\n")
         .append("\tsubq $192, %rsp\n\tandq $-16, %rsp\n");
        String[] g = {"rdi", "rsi", "rdx", "rcx", "r8", "r9", "rax"};
        for (int k = 0; k < g.length; k++) b.append("\tmovq %").append(g[k]).append(", ").append(8 * k).append("(%rsp)\n");
        for (int k = 0; k < 8; k++) b.append("\tmovdqa %xmm").append(k).append(", ").append(64 + 16 * k).append("(%rsp)\n");
        b.append("\tmovq %r11, %rdi\n\tcall shim_resolve_").append(tag).append("\n\tmovq %rax, %r11\n");
        for (int k = 0; k < g.length; k++) b.append("\tmovq ").append(8 * k).append("(%rsp), %").append(g[k]).append("\n");
        for (int k = 0; k < 8; k++) b.append("\tmovdqa ").append(64 + 16 * k).append("(%rsp), %xmm").append(k).append("\n");
        b.append("\tleave\n\t.cfi_def_cfa %rsp, 8\n\tjmp *%r11\n\t.cfi_endproc\n");
        // slot table, initialised to the lazy stubs (R_X86_64_RELATIVE relocations)
        b.append("\t.data\n\t.p2align 3\n\t.globl shim_slots\n\t.hidden shim_slots\nshim_slots:\n");
        for (int i = 0; i < syms.size(); i++) b.append("\t.quad .Llazy").append(i).append("\n");
        b.append("\t.section .note.GNU-stack,\"\",@progbits\n");
        return b.toString();
    }

    static String cstr(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String runtime(List<String> syms, List<String> targets, String env, int missing, String tag, String soname) {
        StringBuilder n = new StringBuilder();
        for (String s : syms) n.append("    ").append(cstr(s)).append(",\n");
        StringBuilder t = new StringBuilder();
        for (String s : targets) t.append(cstr(s)).append(", ");
        String tpl = String.join("\n",
            "/* generated by ShimGen - resolver for the " + soname + " forwarding shim */",
            "#define _GNU_SOURCE",
            "#include <dlfcn.h>",
            "#include <pthread.h>",
            "#include <stdio.h>",
            "#include <stdlib.h>",
            "#include <string.h>",
            "",
            "#if defined(__x86_64__) && defined(__GLIBC__)",
            "/* Bind to the original x86-64 versions so the shim also loads on glibc < 2.34, where these",
            "   functions live in libdl.so.2 (build.sh links libdl.so.2 explicitly for that case). */",
            "__asm__(\".symver dlopen,dlopen@GLIBC_2.2.5\");",
            "__asm__(\".symver dlsym,dlsym@GLIBC_2.2.5\");",
            "__asm__(\".symver dlerror,dlerror@GLIBC_2.2.5\");",
            "__asm__(\".symver dladdr,dladdr@GLIBC_2.2.5\");",
            "#endif",
            "",
            "#define SHIM_N " + syms.size(),
            "#define SHIM_MAX_TARGETS 16",
            "extern void *shim_slots[SHIM_N];",
            "static const char *const shim_names[SHIM_N] = {",
            n.toString() + "};",
            "static const char *const shim_default_targets[] = { " + t + "NULL };",
            "static void *shim_handles[SHIM_MAX_TARGETS];",
            "static int shim_nhandles = -1; /* -1: not opened yet */",
            "static int shim_verbose = 0;",
            "",
            "/* Returned by every function the target lacks (int-status APIs such as cuDNN/cuBLAS). */",
            "__attribute__((visibility(\"hidden\"))) int shim_missing_" + tag + "(void) { return " + missing + "; }",
            "",
            "static void shim_open_one(const char *name) {",
            "    if (shim_nhandles >= SHIM_MAX_TARGETS) return;",
            "    /* A name without '/' first matches an already-loaded object by SONAME (e.g. one the JVM",
            "       System.load()ed by absolute path), then the normal search path. */",
            "    void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);",
            "    if (shim_verbose) fprintf(stderr, \"[" + soname + " shim] dlopen(%s) -> %s\\n\", name, h ? \"ok\" : dlerror());",
            "    if (h) shim_handles[shim_nhandles++] = h;",
            "}",
            "",
            "static void shim_open_targets(void) {",
            "    /* called with the lock held */",
            "    if (shim_nhandles >= 0) return;",
            "    shim_nhandles = 0;",
            "    const char *v = getenv(\"" + env + "_VERBOSE\");",
            "    shim_verbose = v && *v && *v != '0';",
            "    const char *e = getenv(\"" + env + "\");",
            "    if (e && *e) {",
            "        char buf[4096];",
            "        strncpy(buf, e, sizeof buf - 1); buf[sizeof buf - 1] = 0;",
            "        for (char *save = NULL, *p = strtok_r(buf, \":\", &save); p; p = strtok_r(NULL, \":\", &save))",
            "            shim_open_one(p);",
            "    } else {",
            "        for (int i = 0; shim_default_targets[i]; i++) shim_open_one(shim_default_targets[i]);",
            "    }",
            "}",
            "",
            "static int shim_is_self(void *p) {",
            "    Dl_info a, b;",
            "    if (!dladdr(p, &a) || !dladdr((void *)&shim_open_targets, &b)) return 0;",
            "    return a.dli_fbase == b.dli_fbase;",
            "}",
            "",
            "/* recursive, so a target constructor that re-enters the shim cannot deadlock */",
            "static pthread_mutex_t shim_mu = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;",
            "static void lock(void)   { pthread_mutex_lock(&shim_mu); }",
            "static void unlock(void) { pthread_mutex_unlock(&shim_mu); }",
            "",
            "/* Called from the asm lazy stub with the slot index; returns the function to jump to. */",
            "__attribute__((visibility(\"hidden\"))) void *shim_resolve_" + tag + "(long i) {",
            "    lock();",
            "    shim_open_targets();",
            "    void *p = NULL;",
            "    for (int k = 0; k < shim_nhandles && !p; k++) {",
            "        p = dlsym(shim_handles[k], shim_names[i]);",
            "        if (p && shim_is_self(p)) p = NULL; /* never forward to ourselves */",
            "    }",
            "    if (!p) {",
            "        fprintf(stderr, \"[" + soname + " shim] %s not found in target; calls return " + missing + "\\n\", shim_names[i]);",
            "        p = (void *)&shim_missing_" + tag + ";",
            "    } else if (shim_verbose) {",
            "        fprintf(stderr, \"[" + soname + " shim] %s -> %p\\n\", shim_names[i], p);",
            "    }",
            "    __atomic_store_n(&shim_slots[i], p, __ATOMIC_RELEASE);",
            "    unlock();",
            "    return p;",
            "}",
            "",
            "__attribute__((constructor)) static void shim_ctor(void) {",
            "    const char *e = getenv(\"" + env + "_EAGER\");",
            "    if (e && *e && *e != '0')",
            "        for (long i = 0; i < SHIM_N; i++) shim_resolve_" + tag + "(i);",
            "}",
            "");
        return tpl;
    }

    static String versionScript(List<String> syms, String node) {
        StringBuilder b = new StringBuilder(node + " {\n  global:\n");
        for (String s : syms) b.append("    ").append(s).append(";\n");
        b.append("  local: *;\n};\n");
        return b.toString();
    }

    static String buildScript(String soname) {
        return String.join("\n",
            "#!/bin/sh",
            "# builds " + soname + " from the generated sources (gcc or clang, x86-64 Linux)",
            "set -e",
            "cd \"$(dirname \"$0\")\"",
            "${CC:-gcc} -O2 -fPIC -shared -o " + soname + " shim_trampolines.S shim_runtime.c \\",
            "  -Wl,-soname," + soname + " -Wl,--version-script=shim.map -Wl,-z,noexecstack \\",
            "  -Wl,--no-as-needed -l:libdl.so.2 -lpthread",
            "echo built $(pwd)/" + soname,
            "");
    }

    static void write(Path p, String s) throws IOException {
        Files.write(p, s.getBytes(StandardCharsets.UTF_8));
    }

    static void die(String m) {
        System.err.println("ShimGen: " + m);
        System.exit(2);
    }
}
