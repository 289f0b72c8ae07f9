#include "host.h"

#include <check.h>
#include <string.h>

/* The CPU model parsed from a cpuinfo text. */
static void parse(const char *text, char *out, size_t size)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    ck_assert_ptr_nonnull(f);
    host_cpu_model_parse(f, out, size);
    fclose(f);
}

START_TEST(test_cpu_model_of_each_architecture)
{
    char m[256];
    /* x86: "cpu family" and "cpu MHz" are not the "cpu" key */
    parse("processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\ncpu MHz\t\t: 2445.406\n"
          "model\t\t: 1\nmodel name\t: AMD EPYC 7763 64-Core Processor\nprocessor\t: 1\n"
          "model name\t: AMD EPYC 7763 64-Core Processor\n",
          m, sizeof m);
    ck_assert_str_eq(m, "AMD EPYC 7763 64-Core Processor");
    parse("processor\t: 0\ncpu\t\t: POWER9 (raw), altivec supported\nclock\t\t: 2166.000000MHz\n",
          m, sizeof m);
    ck_assert_str_eq(m, "POWER9 (raw), altivec supported");
    /* arm64 names no model: the implementer and part codes say which core */
    parse("processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\nCPU architecture: 8\n"
          "CPU variant\t: 0x3\nCPU part\t: 0xd0c\nCPU revision\t: 1\n",
          m, sizeof m);
    ck_assert_str_eq(m, "CPU implementer 0x41, part 0xd0c");
    /* a named model wins over the codes wherever it appears */
    parse("CPU implementer\t: 0x41\nCPU part\t: 0xd0c\nProcessor\t: ARMv7 Processor rev 4 (v7l)\n", m,
          sizeof m);
    ck_assert_str_eq(m, "ARMv7 Processor rev 4 (v7l)");
}
END_TEST

START_TEST(test_cpu_model_unknown_and_truncated)
{
    char m[256];
    parse("", m, sizeof m);
    ck_assert_str_eq(m, "unknown");
    parse("model name\t:\nflags\t: fpu\n", m, sizeof m);
    ck_assert_str_eq(m, "unknown");
    host_cpu_model_parse(NULL, m, sizeof m);
    ck_assert_str_eq(m, "unknown");
    char small[6];
    parse("model name : Intel(R) Xeon(R)\n", small, sizeof small);
    ck_assert_str_eq(small, "Intel");
}
END_TEST

START_TEST(test_this_host_has_a_name_and_a_model)
{
    char node[256], model[256];
    host_node(node, sizeof node);
    host_cpu_model(model, sizeof model);
    ck_assert_uint_gt(strlen(node), 0);
    ck_assert_uint_gt(strlen(model), 0);
    ck_assert_ptr_null(strchr(model, '\n'));
}
END_TEST

Suite *host_suite(void);
Suite *host_suite(void)
{
    Suite *s = suite_create("host");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_cpu_model_of_each_architecture);
    tcase_add_test(core, test_this_host_has_a_name_and_a_model);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_cpu_model_unknown_and_truncated);
    suite_add_tcase(s, errors);
    return s;
}
