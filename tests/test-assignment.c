#include "config.h"

#include <math.h>

#include "rf-assignment.h"

static void
test_square (void)
{
  /* greedy would give row 0 column 0 (9) and row 1 column 1 (1): 10;
   * the best pairing is 8 + 7 = 15 */
  static const double scores[] = {
    9, 8,
    7, 1,
  };
  int assignment[2];

  rf_assignment_maximise (scores, 2, 2, 0, assignment);
  g_assert_cmpint (assignment[0], ==, 1);
  g_assert_cmpint (assignment[1], ==, 0);
}

static void
test_rectangular (void)
{
  /* more rows than columns: one row stays unpaired */
  static const double tall[] = {
    5, 1,
    6, 2,
    1, 9,
  };
  /* more columns than rows */
  static const double wide[] = {
    1, 2, 30, 4,
    1, 25, 3, 4,
  };
  int a3[3], a2[2];

  rf_assignment_maximise (tall, 3, 2, 0, a3);
  g_assert_cmpint (a3[0], ==, -1);
  g_assert_cmpint (a3[1], ==, 0);
  g_assert_cmpint (a3[2], ==, 1);

  rf_assignment_maximise (wide, 2, 4, 0, a2);
  g_assert_cmpint (a2[0], ==, 2);
  g_assert_cmpint (a2[1], ==, 1);
}

static void
test_min_score (void)
{
  static const double scores[] = {
    70, 59,
    61, 10,
  };
  int assignment[2];

  /* with no floor: 59 + 61 = 120 beats 70 + 10 */
  rf_assignment_maximise (scores, 2, 2, 0, assignment);
  g_assert_cmpint (assignment[0], ==, 1);
  g_assert_cmpint (assignment[1], ==, 0);
  /* pairs under 60 do not count: 70 alone beats 61 alone */
  rf_assignment_maximise (scores, 2, 2, 60, assignment);
  g_assert_cmpint (assignment[0], ==, 0);
  g_assert_cmpint (assignment[1], ==, -1);
  /* nothing reaches 100 */
  rf_assignment_maximise (scores, 2, 2, 100, assignment);
  g_assert_cmpint (assignment[0], ==, -1);
  g_assert_cmpint (assignment[1], ==, -1);
}

static void
test_ties_and_edges (void)
{
  static const double equal[] = {
    5, 5,
    5, 5,
  };
  static const double bad[] = { NAN, INFINITY, -INFINITY, 3 };
  int first[2], second[2], a[2];

  /* equally good assignments: always the same one */
  rf_assignment_maximise (equal, 2, 2, 0, first);
  rf_assignment_maximise (equal, 2, 2, 0, second);
  g_assert_cmpint (first[0], ==, second[0]);
  g_assert_cmpint (first[1], ==, second[1]);
  g_assert_cmpint (first[0], !=, first[1]);

  /* non-finite scores never pair */
  rf_assignment_maximise (bad, 2, 2, 0, a);
  g_assert_cmpint (a[0], ==, -1);
  g_assert_cmpint (a[1], ==, 1);

  /* no rows, no columns */
  rf_assignment_maximise (NULL, 0, 3, 0, NULL);
  rf_assignment_maximise (NULL, 2, 0, 0, a);
  g_assert_cmpint (a[0], ==, -1);
  g_assert_cmpint (a[1], ==, -1);
}

/* Against every permutation of a 6×6 problem. */
static void
test_brute_force (void)
{
  double scores[36];
  int assignment[6];
  int perm[6] = { 0, 1, 2, 3, 4, 5 };
  double best = -1, got = 0;
  guint32 state = 12345;

  for (int i = 0; i < 36; i++)
    {
      state = state * 1664525u + 1013904223u;
      scores[i] = (state >> 24) % 100;
    }
  rf_assignment_maximise (scores, 6, 6, 0, assignment);
  for (int r = 0; r < 6; r++)
    got += scores[r * 6 + assignment[r]];

  /* Heap's algorithm over all 720 permutations */
  {
    int c[6] = { 0 };
    int i = 0;
    double sum = 0;
    for (int r = 0; r < 6; r++)
      sum += scores[r * 6 + perm[r]];
    best = sum;
    while (i < 6)
      {
        if (c[i] < i)
          {
            int j = i % 2 == 0 ? 0 : c[i];
            int t = perm[j]; perm[j] = perm[i]; perm[i] = t;
            sum = 0;
            for (int r = 0; r < 6; r++)
              sum += scores[r * 6 + perm[r]];
            best = MAX (best, sum);
            c[i]++;
            i = 0;
          }
        else
          c[i++] = 0;
      }
  }
  g_assert_cmpfloat (got, ==, best);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/assignment/square", test_square);
  g_test_add_func ("/rf/assignment/rectangular", test_rectangular);
  g_test_add_func ("/rf/assignment/min-score", test_min_score);
  g_test_add_func ("/rf/assignment/ties-and-edges", test_ties_and_edges);
  g_test_add_func ("/rf/assignment/brute-force", test_brute_force);
  return g_test_run ();
}
