/*
 * The floor for writing a workbook with libxlsxwriter: a minimal C program in constant-memory mode (issue 7).
 *
 *   cc -O2 -o xlsx_write Benchmarks/reference/xlsx_write.c $(pkg-config --cflags --libs xlsxwriter)
 *   ./xlsx_write --repeats 3 xlsx_write out.xlsx "Séjours=cells/stays.tsv"
 *   ./xlsx_write monthly_statement out.xlsx "Synthèse=cells/summary.tsv" "Détail=cells/detail.tsv" ...
 *
 * Each SHEET=FILE is a cells file written by passerelle-bench (the same cells Passerelle wrote): line 1 the
 * type of each column, line 2 the headers, then one line per row, tab-separated. Types: s text, i integer,
 * m money in cents (#,##0.00 "€"), p percent in basis points (0.00%), d date as an Excel serial (dd/mm/yyyy),
 * f formula with its cached money value ("12345=D4-E4-F4"). A typed cell that is not a number is text; an
 * empty cell is not written. Text escapes: \t \n \r \\.
 *
 * Every file is read and parsed before the clock starts: only the workbook is timed, from workbook_new_opt to
 * workbook_close (the zip included), as Passerelle's measure times its own; with --repeats N the workbook is
 * written N times and the shortest run counts ("run_seconds" lists them all), as for Passerelle's measure. The
 * peak resident memory is reset (/proc/self/clear_refs) before each run, so "write_memory_megabytes" is what
 * writing took on top of the loaded cells. Prints one JSON line for Benchmarks/run.sh.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <xlsxwriter.h>

enum kind { EMPTY, TEXT, INTEGER, MONEY, PERCENT, DATE, FORMULA };

struct cell {
    const char *text; /* TEXT: the text; FORMULA: the formula */
    double number;    /* numbers, already divided (cents / 100, basis points / 10 000) */
    enum kind kind;
};

struct sheet {
    const char *name;
    char **headers;
    struct cell *cells; /* rows × columns */
    size_t rows, columns;
};

static void die(const char *what, const char *detail) {
    fprintf(stderr, "xlsx_write: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

static char *read_file(const char *path) {
    FILE *file = fopen(path, "rb");
    if (!file) die(path, strerror(errno));
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    char *data = malloc((size_t)size + 1);
    if (!data || fread(data, 1, (size_t)size, file) != (size_t)size) die(path, "cannot read");
    data[size] = '\0';
    fclose(file);
    return data;
}

/* Cuts the next field of a line in place (unescaping it) and returns it; *cursor moves past its tab. */
static char *next_field(char **cursor, int *end_of_line) {
    char *start = *cursor, *read = start, *write = start;
    while (*read && *read != '\t' && *read != '\n') {
        if (*read == '\\' && read[1]) {
            read++;
            *write++ = *read == 't' ? '\t' : *read == 'n' ? '\n' : *read == 'r' ? '\r' : *read;
            read++;
        } else {
            *write++ = *read++;
        }
    }
    *end_of_line = *read != '\t';
    *cursor = *read ? read + 1 : read;
    *write = '\0';
    return start;
}

static struct cell parse_cell(char *field, char type) {
    struct cell cell = {field, 0, field[0] ? TEXT : EMPTY};
    if (!field[0] || type == 's') return cell;
    char *end;
    errno = 0;
    long long value = strtoll(field, &end, 10);
    if (end == field || errno) return cell;
    if (type == 'f' && *end == '=') {
        cell.kind = FORMULA;
        cell.text = end;
        cell.number = (double)value / 100;
    } else if (*end == '\0') {
        switch (type) {
        case 'i': cell.kind = INTEGER; cell.number = (double)value; break;
        case 'm': cell.kind = MONEY; cell.number = (double)value / 100; break;
        case 'p': cell.kind = PERCENT; cell.number = (double)value / 10000; break;
        case 'd': cell.kind = DATE; cell.number = (double)value; break;
        default: break;
        }
    }
    return cell;
}

static struct sheet load_sheet(const char *argument) {
    const char *equals = strchr(argument, '=');
    if (!equals) die("expected SHEET=FILE, got", argument);
    struct sheet sheet = {strndup(argument, (size_t)(equals - argument)), NULL, NULL, 0, 0};
    char *cursor = read_file(equals + 1);
    int end = 0;
    char types[256];
    while (!end && sheet.columns < sizeof types) types[sheet.columns++] = next_field(&cursor, &end)[0];
    sheet.headers = calloc(sheet.columns, sizeof *sheet.headers);
    for (size_t c = 0; c < sheet.columns; c++) sheet.headers[c] = next_field(&cursor, &end);
    size_t lines = 0;
    for (const char *p = cursor; *p; p++) lines += *p == '\n';
    sheet.cells = calloc(lines * sheet.columns + 1, sizeof *sheet.cells);
    while (*cursor) {
        struct cell *row = sheet.cells + sheet.rows * sheet.columns;
        end = 0;
        for (size_t c = 0; c < sheet.columns && !end; c++) row[c] = parse_cell(next_field(&cursor, &end), types[c]);
        while (!end) next_field(&cursor, &end); /* extra fields, none expected */
        sheet.rows++;
    }
    return sheet;
}

static void check(lxw_error error, const char *what) {
    if (error != LXW_NO_ERROR) die(what, lxw_strerror(error));
}

static void write_sheet(lxw_workbook *workbook, const struct sheet *sheet, lxw_format **formats) {
    lxw_worksheet *worksheet = workbook_add_worksheet(workbook, sheet->name);
    if (!worksheet) die("cannot add sheet", sheet->name);
    for (size_t c = 0; c < sheet->columns; c++)
        check(worksheet_write_string(worksheet, 0, (lxw_col_t)c, sheet->headers[c], formats[0]), "header");
    worksheet_freeze_panes(worksheet, 1, 0);
    for (size_t r = 0; r < sheet->rows; r++) {
        const struct cell *row = sheet->cells + r * sheet->columns;
        lxw_row_t excel_row = (lxw_row_t)(r + 1);
        for (size_t c = 0; c < sheet->columns; c++) {
            const struct cell *cell = row + c;
            lxw_col_t column = (lxw_col_t)c;
            lxw_error error = LXW_NO_ERROR;
            switch (cell->kind) {
            case EMPTY: break;
            case TEXT: error = worksheet_write_string(worksheet, excel_row, column, cell->text, NULL); break;
            case FORMULA:
                error = worksheet_write_formula_num(worksheet, excel_row, column, cell->text, formats[MONEY], cell->number);
                break;
            default: error = worksheet_write_number(worksheet, excel_row, column, cell->number, formats[cell->kind]); break;
            }
            check(error, "writing a cell");
        }
    }
    if (sheet->rows > 0) check(worksheet_autofilter(worksheet, 0, 0, (lxw_row_t)sheet->rows, (lxw_col_t)(sheet->columns - 1)), "autofilter");
}

/* Processor time used so far (user + system), in seconds. */
static double cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A field of /proc/self/status (VmRSS, VmHWM) in MB. */
static double status_megabytes(const char *key) {
    FILE *file = fopen("/proc/self/status", "r");
    char line[256];
    double kilobytes = 0;
    size_t length = strlen(key);
    while (file && fgets(line, sizeof line, file))
        if (strncmp(line, key, length) == 0 && line[length] == ':') kilobytes = atof(line + length + 1);
    if (file) fclose(file);
    return kilobytes / 1024;
}

struct timing {
    double seconds, cpu, memory;
};

/* Writes every sheet into one workbook, timed from workbook_new_opt to workbook_close; the peak resident size
 * is reset first, so that memory is what writing took on top of the loaded cells. */
static struct timing write_workbook(const char *path, const struct sheet *sheets, size_t count) {
    FILE *reset = fopen("/proc/self/clear_refs", "w");
    if (reset) { fputs("5", reset); fclose(reset); }
    double before = status_megabytes("VmRSS");
    double start = now(), cpu = cpu_seconds();
    lxw_workbook_options options = {.constant_memory = LXW_TRUE};
    lxw_workbook *workbook = workbook_new_opt(path, &options);
    if (!workbook) die("cannot start the workbook", path);
    lxw_format *formats[FORMULA + 1] = {0};
    formats[0] = workbook_add_format(workbook); /* the header */
    format_set_bold(formats[0]);
    formats[MONEY] = workbook_add_format(workbook);
    format_set_num_format(formats[MONEY], "#,##0.00 \"\xE2\x82\xAC\"");
    formats[PERCENT] = workbook_add_format(workbook);
    format_set_num_format(formats[PERCENT], "0.00%");
    formats[DATE] = workbook_add_format(workbook);
    format_set_num_format(formats[DATE], "dd/mm/yyyy");
    for (size_t i = 0; i < count; i++) write_sheet(workbook, &sheets[i], formats);
    check(workbook_close(workbook), "closing the workbook");
    struct timing timing = {now() - start, cpu_seconds() - cpu, status_megabytes("VmHWM") - before};
    if (timing.memory < 0) timing.memory = 0;
    return timing;
}

int main(int argc, char **argv) {
    int repeats = 1;
    if (argc > 2 && strcmp(argv[1], "--repeats") == 0) {
        repeats = atoi(argv[2]) > 0 ? atoi(argv[2]) : 1;
        argc -= 2;
        argv += 2;
    }
    if (argc < 4) die("usage: xlsx_write [--repeats N] NAME OUT.xlsx SHEET=CELLS.tsv...", NULL);
    size_t count = (size_t)argc - 3, rows = 0, cells = 0;
    struct sheet *sheets = calloc(count, sizeof *sheets);
    double loading = now();
    for (size_t i = 0; i < count; i++) {
        sheets[i] = load_sheet(argv[i + 3]);
        rows += sheets[i].rows;
        for (size_t k = 0; k < sheets[i].rows * sheets[i].columns; k++) cells += sheets[i].cells[k].kind != EMPTY;
    }
    loading = now() - loading;

    double best = 1e300, best_cpu = 0, write_memory = 0;
    char runs[4096] = "";
    for (int run = 0; run < repeats; run++) {
        struct timing timing = write_workbook(argv[2], sheets, count);
        if (timing.seconds < best) { best = timing.seconds; best_cpu = timing.cpu; }
        if (timing.memory > write_memory) write_memory = timing.memory;
        size_t used = strlen(runs);
        snprintf(runs + used, sizeof runs - used, "%s%.4f", run ? ", " : "", timing.seconds);
    }

    printf("{\"counts\": {\"cells\": %zu, \"rows\": %zu, \"sheets\": %zu}, \"cpu_seconds\": %.4f, \"load_seconds\": %.4f, "
           "\"name\": \"%s\", \"rows\": %zu, \"rows_per_second\": %.0f, \"run_seconds\": [%s], \"seconds\": %.4f, "
           "\"tool\": \"libxlsxwriter C\", \"write_memory_megabytes\": %.1f}\n",
           cells, rows, count, best_cpu, loading, argv[1], rows, best > 0 ? (double)rows / best : 0, runs, best,
           write_memory);
    return 0;
}
